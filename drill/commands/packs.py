"""`drill packs list|validate|new|schema`."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from drill import ui
from drill.errors import EXIT_FAILED, EXIT_USAGE, InputError, PackInvalid, PackProblem
from drill.packs.catalog import PackInfo, load_catalog, pack_files
from drill.paths import PACKAGE_DIR


def list_packs(extra: list[Path] | None) -> list[PackInfo]:
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    return cat.packs


def render_list(packs: list[PackInfo], json_out: bool) -> None:
    if json_out:
        ui.print_json([{"id": p.id, "title": p.title, "path": p.path, "questions": p.questions,
                        "rounds": p.rounds} for p in packs])
        return
    from rich.table import Table

    t = Table(box=None, header_style="bold", pad_edge=False)
    for col in ("pack", "title", "questions", "rounds", "path"):
        t.add_column(col, justify="right" if col == "questions" else "left")
    m = ui.markup_safe
    for p in packs:
        rounds = ", ".join(f"{r} {n}" for r, n in sorted(p.rounds.items()))
        t.add_row(m(p.id) + ("" if p.builtin else " [dim](user)[/]"), m(p.title, keep_newlines=False),
                  str(p.questions), m(rounds), m(p.path))
    ui.out().print(t)


@dataclass
class ValidationResult:
    files: list[str] = field(default_factory=list)
    problems: list[PackProblem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    questions: int = 0
    not_shown: int = 0  # problems beyond the ones listed per file

    @property
    def exit_code(self) -> int:
        if self.missing:
            return EXIT_USAGE
        return EXIT_FAILED if self.problems else 0


def validate(paths: list[Path]) -> ValidationResult:
    from drill.packs.packfile import load_pack

    res = ValidationResult()
    owners: dict[str, str] = {}
    for root in paths:
        if not root.exists():
            res.missing.append(str(root))
            res.problems.append(PackProblem(str(root), "no such file or folder"))
            continue
        files = pack_files(root)
        if root.is_dir() and not files:
            res.problems.append(PackProblem(str(root), "folder holds no .yaml pack files"))
        for f in files:
            res.files.append(str(f))
            try:
                pack = load_pack(f, deep=True)
            except PackInvalid as e:
                res.problems.extend(e.problems)
                # The "… and N more" line stands for N problems, not one.
                res.not_shown += e.not_shown - (1 if e.not_shown else 0)
                continue
            res.questions += len(pack.questions)
            if pack.pack in owners:
                res.problems.append(PackProblem(str(f), f"pack id '{pack.pack}' is also used by {owners[pack.pack]}", 1, 1))
            else:
                owners[pack.pack] = str(f)
    return res


def render_validate(res: ValidationResult, json_out: bool) -> None:
    import typer

    if json_out:
        ui.print_json({"ok": not res.problems, "files": res.files, "questions": res.questions,
                       "problems": [p.to_dict() for p in res.problems]})
    else:
        for p in res.problems:
            sys.stdout.write(ui.term_safe(str(p), keep_newlines=False) + "\n")
        n = len(res.problems) + res.not_shown
        summary = (f"{len(res.files)} file(s), {res.questions} question(s): "
                   + ("valid" if not n else f"{n:,} problem(s)"))
        ui.err().print(("[green]✓[/] " if not n else "[red]✗[/] ") + summary)
    if res.exit_code:
        raise typer.Exit(res.exit_code)


TAKEHOME_TEMPLATE = PACKAGE_DIR / "templates" / "takehome"
TAKEHOME_FILES = ("generate.py", "dictionary.md", "reference.py", "leaky.py", "baseline.py")


@dataclass
class NewPack:
    path: Path
    data: Path | None = None  # the take-home's folder, with --model


def new_pack(path: Path, force: bool, model: bool = False) -> NewPack:
    """Write the template pack at `path`; with `model`, also a take-home question and its folder
    (`<pack>-takehome/` beside the pack: a tiny generated dataset, its generator, dictionary and
    references), valid as written."""
    if path.exists() and not force:
        raise InputError(f"'{path}' already exists; use --force to overwrite it")
    if path.suffix not in (".yaml", ".yml"):
        raise InputError(f"a pack file ends in .yaml or .yml, not '{path.suffix or path.name}'")
    slug = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-") or "my-pack"
    while "--" in slug:
        slug = slug.replace("--", "-")
    text = (PACKAGE_DIR / "templates" / "new_pack.yaml").read_text(encoding="utf-8").replace("__PACK__", slug)
    data = None
    if model:
        data = path.parent / f"{slug}-takehome"
        if data.exists() and not force:
            raise InputError(f"'{data}' already exists; use --force to overwrite it")
        text += (PACKAGE_DIR / "templates" / "new_model.yaml").read_text(encoding="utf-8").replace("__DATA__", data.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if data is not None:
            write_takehome(data)
    except OSError as e:
        raise InputError(f"cannot write '{e.filename or path}': {e.strerror}") from None
    return NewPack(path, data)


def write_takehome(folder: Path) -> None:
    """The template take-home's files in `folder`, and its data, made by its own generator."""
    import runpy

    folder.mkdir(parents=True, exist_ok=True)
    for name in TAKEHOME_FILES:
        (folder / name).write_bytes((TAKEHOME_TEMPLATE / name).read_bytes())
    runpy.run_path(str(TAKEHOME_TEMPLATE / "generate.py"), run_name="drill_takehome_template")["main"](folder)


def render_new(made: NewPack) -> None:
    shown = ui.markup_safe(str(made.path))
    what = "one question of each kind"
    if made.data is not None:
        what += f", and a take-home whose data, generator and references are in {ui.markup_safe(str(made.data))}"
    ui.out().print(f"Wrote [bold]{shown}[/] with {what}.\n"
                   f"Check it with `drill packs validate {shown}`, try it with `drill list --pack {shown}`.")
    if made.data is None:
        ui.out().print("[dim]A take-home (kind: model) needs data beside the pack: "
                       "`drill packs new FILE --model` writes one with a tiny generated dataset.[/]")


def print_schema() -> None:
    from drill.packs.model import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
