"""Finding packs, and a cache of their list-level fields.

PyYAML builds Python objects at about 1 MB/s, so re-parsing every pack on every
start would make `drill list` slow on large packs. The catalogue keeps, per pack
file, the fields that listing, selection and reports need, keyed by the file's
path, size, mtime and drill's version. Full questions are loaded only when shown
or judged.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from drill import __version__
from drill.errors import InputError, PackInvalid, PackProblem
from drill.paths import builtin_questions_dir, cache_dir, user_packs_dir
from drill.plainclass import as_dict, field, plainclass
from drill.strictjson import dumps

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any

CACHE_NAME = "catalog.json"
# What a round shows of each question (drill.packs.showcache) is kept as a pack of up to
# this many questions is catalogued, so a round shows even a new question without pydantic;
# a larger pack's is kept when one of its questions is first shown, so that building its
# catalogue entry stays one parse.
SHOWN_PER_PACK = 1000


@plainclass(frozen=True)
class Summary:
    """The list-level fields of one question."""

    uid: str
    pack: str
    id: str
    round: str
    kind: str
    difficulty: str
    tags: tuple[str, ...]
    title: str
    minutes: float
    path: str
    requires: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return all(_importable(m) for m in self.requires)

    @property
    def missing(self) -> tuple[str, ...]:
        """The required packages this Python cannot import."""
        return tuple(m for m in self.requires if not _importable(m))

    def unavailable_error(self) -> InputError:
        """Why this question cannot be judged here, with the one command that fixes it."""
        return InputError(f"'{self.uid}' needs {', '.join(self.missing)}, which this Python cannot import",
                          f"Install it with: {install_command(self.missing)}")

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "round": self.round,
            "kind": self.kind,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "title": self.title,
            "minutes": self.minutes,
            "requires": list(self.requires),
            "available": self.available,
        }


@plainclass
class PackInfo:
    id: str
    title: str
    path: str
    description: str
    questions: int
    rounds: dict[str, int] = field(default_factory=dict)
    builtin: bool = False


@plainclass
class Loaded:
    """A fully loaded question with what judging needs from its pack."""

    uid: str
    pack: str
    question: Any  # one of drill.packs.model's question classes
    pack_path: Path
    hidden: list = field(default_factory=list)

    @property
    def solution_path(self) -> Path | None:
        sol = getattr(self.question, "solution", None)
        return (self.pack_path.parent / sol) if sol else None

    @property
    def parts(self) -> int:
        """How many follow-up parts the question has (code questions)."""
        return len(getattr(self.question, "parts", []))

    def part(self, k: int) -> Loaded:
        """Part k of a code question (0: the question itself) as a question of its own,
        uid `<uid>#part-k`, with its hidden tests (from its tests file too)."""
        if k == 0:
            return self
        from drill.packs.packfile import load_tests_file

        if not 1 <= k <= self.parts:
            raise InputError(f"{self.uid} has {self.parts} follow-up part(s); there is no part {k}")
        q = self.question.part(k)
        hidden = list(q.tests)
        if q.tests_file:
            try:
                hidden += load_tests_file(self.pack_path.parent / q.tests_file)
            except PackInvalid as e:
                raise InputError(f"tests file for '{self.uid}' part {k} is broken: {e.problems[0]}") from None
        return Loaded(f"{self.uid}#part-{k}", self.pack, q, self.pack_path, hidden)

    def full(self) -> Loaded:
        """The question as its model, with its hidden tests (what judging needs)."""
        return self


class LazyLoaded(Loaded):
    """A question for a round: shown from the question cache (drill.packs.showcache), or
    from its model without its hidden tests, and loaded in full on first use (`full()`,
    `hidden`, `part()`, anything the cache does not hold), e.g. when it is judged."""

    def __init__(self, uid: str, pack: str, question: Any, pack_path: Path,
                 load_full: Callable[[], Loaded]) -> None:
        self.uid, self.pack, self.question, self.pack_path = uid, pack, question, pack_path
        self._load_full = load_full
        self._full: Loaded | None = None
        self._lock = threading.Lock()  # the judge's thread and the screen's may both ask

    def full(self) -> Loaded:
        with self._lock:
            if self._full is None:
                self._full = self._load_full()
            return self._full

    @property
    def hidden(self) -> list:
        return self.full().hidden

    @hidden.setter
    def hidden(self, value: list) -> None:
        self.full().hidden = value

    def part(self, k: int) -> Loaded:
        """Part k, loaded (from the full question) on first use."""
        if k == 0:
            return self
        if not 1 <= k <= self.parts:
            raise InputError(f"{self.uid} has {self.parts} follow-up part(s); there is no part {k}")
        part: LazyLoaded = LazyLoaded(f"{self.uid}#part-{k}", self.pack, _OnFirstUse(lambda: part.full().question),
                                      self.pack_path, lambda: self.full().part(k))
        return part

    def __repr__(self) -> str:
        return f"LazyLoaded({self.uid!r}, loaded={self._full is not None})"


class _OnFirstUse:
    """Stands for a question model that is loaded when one of its attributes is first read."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.__dict__["_load"](), name)


_import_cache: dict[str, bool] = {}
# Import names whose package on PyPI is called otherwise.
PIP_NAMES = {"sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow", "cv2": "opencv-python",
             "skimage": "scikit-image"}


def install_command(modules: tuple[str, ...] | list[str]) -> str:
    """The pip command that installs `modules` into the Python drill runs on (the one the
    judge's child uses)."""
    import shlex
    import sys

    names = dict.fromkeys(PIP_NAMES.get(m.partition(".")[0], m.partition(".")[0]) for m in modules)
    return f"{shlex.quote(sys.executable)} -m pip install {' '.join(names)}"


def _importable(module: str) -> bool:
    if module not in _import_cache:
        import importlib.util

        try:
            _import_cache[module] = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            _import_cache[module] = False
    return _import_cache[module]


def pack_files(root: Path) -> list[Path]:
    """A pack path is a YAML file, or a folder whose YAML files (recursively) are packs."""
    if root.is_file():
        return [root]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                out.append(Path(dirpath) / name)
    return out


def pack_sources(extra: list[Path] | None = None) -> list[tuple[Path, bool, bool]]:
    """(path, builtin, explicit) for every place packs come from, in priority order."""
    sources: list[tuple[Path, bool, bool]] = [(builtin_questions_dir(), True, False)]
    user = user_packs_dir()
    if user.is_dir():
        sources.append((user, False, False))
    for part in os.environ.get("DRILL_PACKS", "").split(os.pathsep):
        if part.strip():
            sources.append((Path(part).expanduser(), False, False))
    for p in extra or []:
        if not p.exists():
            raise InputError(f"pack path '{p}' does not exist")
        sources.append((p, False, True))
    return sources


class Catalog:
    def __init__(self) -> None:
        self.packs: list[PackInfo] = []
        self.questions: list[Summary] = []
        self.problems: list[PackProblem] = []
        self._by_uid: dict[str, Summary] = {}
        self._shown: dict[str, LazyLoaded] = {}

    # ------------------------------------------------------------ lookup
    def find(self, ref: str) -> Summary:
        """A question by uid, or by bare id where that is unique."""
        if ref in self._by_uid:
            return self._by_uid[ref]
        matches = [s for s in self.questions if s.id == ref]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            uids = ", ".join(s.uid for s in matches[:5])
            raise InputError(f"'{ref}' is ambiguous: it matches {uids}; use the full uid")
        import difflib

        close = difflib.get_close_matches(ref, [s.uid for s in self.questions] + [s.id for s in self.questions], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise InputError(f"no question '{ref}'{hint}; see `drill list`")

    def load(self, ref: str) -> Loaded:
        summary = self.find(ref)
        pack, q = self._model(summary)
        return self._with_hidden(summary, pack.pack, q)

    def load_for_round(self, ref: str) -> Loaded:
        """The question as a round needs it: what shows it at once (from the question cache
        when it is fresh, else its model), the rest, with the hidden tests, on first use."""
        summary = self.find(ref)
        done = self._shown.get(summary.uid)
        if done is not None:
            return done
        from drill.packs import showcache

        path = Path(summary.path)
        lazy: LazyLoaded
        cached = showcache.load(summary.path, summary.id, lambda: lazy.full().question)
        if cached is not None:
            pack_id, question = cached
            lazy = LazyLoaded(summary.uid, pack_id, question, path, lambda: self.load(summary.uid))
        else:
            key = showcache.key(summary.path)
            pack, q = self._model(summary)
            showcache.save(summary.path, pack, key)
            lazy = LazyLoaded(summary.uid, pack.pack, q, path, lambda: self._with_hidden(summary, pack.pack, q))
        self._shown[summary.uid] = lazy
        return lazy

    def _model(self, summary: Summary) -> tuple[Any, Any]:
        """(the pack, the question's model), validated with its whole pack."""
        from drill.packs.packfile import load_pack

        path = Path(summary.path)
        try:
            pack = load_pack(path)
        except PackInvalid as e:
            raise InputError(f"pack for '{summary.uid}' no longer loads: {e.problems[0]}") from None
        for q in pack.questions:
            if q.id == summary.id:
                return pack, q
        raise InputError(f"question '{summary.uid}' is no longer in {path}")

    def _with_hidden(self, summary: Summary, pack_id: str, q: Any) -> Loaded:
        from drill.packs.model import CodeQuestion
        from drill.packs.packfile import load_tests_file

        path = Path(summary.path)
        hidden = list(getattr(q, "tests", []))
        if isinstance(q, CodeQuestion) and q.tests_file:
            try:
                hidden += load_tests_file(path.parent / q.tests_file)
            except PackInvalid as e:
                raise InputError(f"tests file for '{summary.uid}' is broken: {e.problems[0]}") from None
        return Loaded(summary.uid, pack_id, q, path, hidden)

    def rounds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.questions:
            out[s.round] = out.get(s.round, 0) + 1
        return out

    def select(self, round: str | None = None, tag: str | None = None,
               difficulty: str | None = None) -> list[Summary]:
        out = self.questions
        if round:
            out = [s for s in out if s.round == round]
        if tag:
            out = [s for s in out if tag in s.tags]
        if difficulty:
            out = [s for s in out if s.difficulty == difficulty]
        return out

    # ------------------------------------------------------------ building
    def _add(self, entry: dict, path: str, builtin: bool) -> None:
        info = entry["pack"]
        if info is None:
            return
        clash = next((p for p in self.packs if p.id == info["id"]), None)
        if clash is not None:
            self.problems.append(PackProblem(path, f"pack id '{info['id']}' is already taken by {clash.path}; this file is skipped"))
            return
        # Build everything before adding anything, so a malformed cache entry adds nothing.
        pack = PackInfo(**info, builtin=builtin)
        summaries = [
            Summary(**{**q, "tags": tuple(q["tags"]), "requires": tuple(q["requires"]), "path": path})
            for q in entry["questions"]
        ]
        self.packs.append(pack)
        for s in summaries:
            self.questions.append(s)
            self._by_uid[s.uid] = s


def _summarise(path: Path, keep_shown: bool = False) -> dict:
    """Parse one pack file into its cache entry (pack info, summaries, problems); with
    `keep_shown`, also keep what a round shows of each question (drill.packs.showcache)."""
    from drill.packs import showcache

    key = showcache.key(str(path))
    try:
        pack = _load_for_catalog(path)
    except PackInvalid as e:
        return {"pack": None, "questions": [], "problems": [p.to_dict() for p in e.problems]}
    if keep_shown and len(pack.questions) <= SHOWN_PER_PACK:
        showcache.save(str(path), pack, key)
    rounds: dict[str, int] = {}
    qs = []
    for q in pack.questions:
        rounds[q.round] = rounds.get(q.round, 0) + 1
        qs.append({
            "uid": f"{pack.pack}/{q.id}", "pack": pack.pack, "id": q.id, "round": q.round,
            "kind": q.kind, "difficulty": q.difficulty, "tags": list(q.tags), "title": q.title,
            "minutes": q.minutes, "requires": list(getattr(q, "requires", [])),
        })
    info = {"id": pack.pack, "title": pack.title, "path": str(path), "description": pack.description,
            "questions": len(pack.questions), "rounds": rounds}
    return {"pack": info, "questions": qs, "problems": []}


def _load_for_catalog(path: Path):
    from drill.packs.packfile import load_pack

    return load_pack(path)


def _stat_key(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _read_cache(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != __version__ or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _write_cache(file: Path, files: dict) -> None:
    from drill.packs import requires_index

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.write_text(dumps({"version": __version__, "files": files}), encoding="utf-8")
        os.replace(tmp, file)
    except OSError:
        return  # a read-only data folder only costs speed here
    requires_index.write(files)


def cached_requires(ref: str) -> tuple[str, ...] | None:
    """What question REF (uid, or id unique in the cache) requires, as the catalogue cache
    last saw it; None when the cache cannot say. A hint for starting the judge early: it
    may be stale, or from a pack outside today's sources. (`drill check` reads the same
    from drill.packs.requires_index, which needs no catalogue.)"""
    found = set()
    for entry in _read_cache(cache_dir() / CACHE_NAME).values():
        for q in entry.get("questions") or [] if isinstance(entry, dict) else []:
            if isinstance(q, dict) and ref in (q.get("uid"), q.get("id")):
                found.add(tuple(q.get("requires") or ()))
    return found.pop() if len(found) == 1 else None


def load_catalog(extra: list[Path] | None = None, *, use_cache: bool = True) -> Catalog:
    cat = Catalog()
    cache_file = cache_dir() / CACHE_NAME
    cached = _read_cache(cache_file) if use_cache else {}
    fresh: dict[str, dict] = {}
    changed = False
    for root, builtin, _explicit in pack_sources(extra):
        if not root.exists():
            cat.problems.append(PackProblem(str(root), "pack path does not exist"))
            continue
        for f in pack_files(root):
            key = str(f.resolve())
            stat = _stat_key(f)
            entry = cached.get(key)
            if entry is None or entry.get("stat") != stat or not _valid_entry(entry):
                entry = _summarise(f, use_cache)
                entry["stat"] = stat
                changed = True
            try:
                cat._add(entry, str(f), builtin)
            except (TypeError, KeyError, AttributeError):
                entry = _summarise(f, use_cache)  # a corrupt cache entry: rebuild it from the file
                entry["stat"] = stat
                changed = True
                cat._add(entry, str(f), builtin)
            fresh[key] = entry
            cat.problems.extend(PackProblem.from_dict(p) for p in entry["problems"])
    if use_cache and (changed or not set(fresh) <= set(cached)):
        # Keep entries for files outside today's sources (e.g. an earlier --pack) so
        # alternating between pack sets stays warm.
        merged = {**cached, **fresh}
        _write_cache(cache_file, {k: v for k, v in merged.items() if Path(k).exists()})
    elif use_cache and cached and not (cache_dir() / "requires.txt").exists():
        from drill.packs import requires_index  # a cache an older drill wrote, without its index

        requires_index.write(cached)
    return cat


def _valid_entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("questions"), list)
            and isinstance(entry.get("problems"), list) and "pack" in entry)


def summary_dict(s: Summary) -> dict:
    return as_dict(s)
