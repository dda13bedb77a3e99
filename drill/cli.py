"""The command line: parse options, call one core function, render its result.

Heavy modules (pydantic, prompt_toolkit, rich.markdown, sqlite3) are imported
inside the commands so that `drill --version` and `drill --help` start fast. A plain
`drill check UID FILE [options]` does not even import typer: it is parsed by
drill.judge.prelaunch.plain_check and run at the top of this module (anything unusual
comes down to typer, as before).
"""

from __future__ import annotations

import functools
import sys

from drill.errors import EXIT_FAILED, EXIT_INTERRUPTED, DrillError


def _failed(e: DrillError) -> int:
    """A DrillError as one readable line on stderr; its exit code."""
    from drill import ui

    ui.error(e.message, e.detail)
    return e.exit_code


def _plain_check(options: dict) -> int:
    """`drill check` on plain arguments (drill.judge.prelaunch.plain_check), without typer:
    importing and building the command line would cost about half of what judging a
    small answer does, on the command one runs over and over. Anything unusual goes
    through typer below, as before."""
    from pathlib import Path

    from drill.commands import check

    options = {**options, "file": Path(options["file"]), "pack": [Path(p) for p in options["pack"] or ()] or None}
    try:
        return check.run(**options)
    except DrillError as e:
        return _failed(e)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `drill check ... | head`: as click does, quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _exit_now(code: int) -> None:
    """End a plain `drill check` at once: the output flushed, the exit functions run (the
    early runner's stop among them), but not the interpreter's teardown of the three
    hundred modules a check loads (some 8 ms, a tenth of the check). Everything the check
    opened it has closed itself."""
    import atexit
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_FAILED
    atexit._run_exitfuncs()
    os._exit(code)


if sys.argv[1:2] == ["check"]:
    from drill.judge import prelaunch

    # Before importing typer: the judge's runner boots while the command line is parsed.
    if prelaunch.is_drill(sys.argv[0]):

        def _requires(uid: str) -> tuple[str, ...] | None:
            # The small index, not the catalogue: the runner starts before that is loaded.
            from drill.packs.requires_index import lookup

            return lookup(uid)

        prelaunch.start_early(sys.argv[1:], _requires)
        _options = prelaunch.plain_check(sys.argv[1:])
        if _options is not None:
            _exit_now(_plain_check(_options))

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from drill import __version__

# What a word completes to (drill.commands.completion) matters only to a completion request:
# only then are the functions attached, so that building the command line costs no more.
COMPLETING = "_DRILL_COMPLETE" in os.environ


def _completes(name: str) -> Callable[..., Any] | None:
    if not COMPLETING:
        return None
    from drill.commands import completion

    return getattr(completion, name)

app = typer.Typer(
    help="Offline drills for ML-engineer interview loops: timed rounds, judged code, FSRS reviews.",
    no_args_is_help=False,
    # --install-completion and --show-completion; what words complete to: drill.commands.completion.
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain click help: rendering help through rich would double `drill --help` start-up.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
packs_app = typer.Typer(help="List, validate, scaffold and audit question packs.", no_args_is_help=True)
app.add_typer(packs_app, name="packs")

PackOpt = Annotated[
    list[Path] | None,
    typer.Option("--pack", help="Extra pack file or folder (repeatable).", show_default=False,
                 autocompletion=_completes("paths")),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
RoundOpt = Annotated[str | None, typer.Option("--round", "-r", help="Only this round.", autocompletion=_completes("rounds"))]
TagOpt = Annotated[str | None, typer.Option("--tag", "-t", help="Only questions with this tag.",
                                            autocompletion=_completes("tags"))]
DifficultyOpt = Annotated[str | None, typer.Option("--difficulty", "-d", help="easy, medium or hard.",
                                                   autocompletion=_completes("difficulties"))]
UidArg = Annotated[str, typer.Argument(help="Question uid (pack/id), or a bare id where unique.",
                                       autocompletion=_completes("uids"))]


def boundary(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The one place DrillErrors become a readable line on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DrillError as e:
            raise typer.Exit(_failed(e)) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drill {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Offline drills for ML-engineer interview loops.

    Run `drill start --round coding` for a timed mock round, `drill report` to see
    where you stand. With no command: a one-screen dashboard.
    """
    if ctx.invoked_subcommand is None:
        boundary(_dashboard)()


def _dashboard() -> None:
    from drill.commands import dashboard

    dashboard.run()


@app.command("start")
@boundary
def start_cmd(
    round: Annotated[
        list[str] | None,
        typer.Option("--round", "-r", help="Round to practise (repeatable; 'mixed' for a loop). Without it: a picker.",
                     autocompletion=_completes("start_rounds")),
    ] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", help="Number of questions.")] = None,
    minutes: Annotated[float | None, typer.Option("--minutes", "-m", help="Total minutes, spread over the questions.")] = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    focus: Annotated[str | None, typer.Option("--focus", help="due, weak, new or random (cram: no rescheduling).",
                                              autocompletion=_completes("focuses"))] = None,
    question: Annotated[list[str] | None, typer.Option("--question", "-q", help="Practise this question (repeatable).",
                                                       autocompletion=_completes("uids"))] = None,
    editor: Annotated[bool, typer.Option("--editor", help="Write code in $VISUAL/$EDITOR instead of the built-in editor.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Submit automatically when the clock reaches zero.")] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue a paused session: the only one, a picker of several, "
                                            "or the one whose ID follows (--resume ID).")
    ] = False,
    session: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="With --resume: the paused session to continue.",
                                   show_default=False)
    ] = None,
    discard: Annotated[
        int | None, typer.Option("--discard", metavar="ID", help="Throw paused session ID away (asks first).")
    ] = None,
    pack: PackOpt = None,
) -> None:
    """A timed mock interview round in the terminal."""
    from drill.commands import start
    from drill.errors import InputError
    from drill.session.flow import StartOptions

    if discard is not None:
        def ask(question: str) -> bool:
            try:
                return typer.confirm(question)
            except typer.Abort:
                raise InputError("no confirmation given; nothing was discarded") from None

        typer.echo(start.discard(discard, ask))
        return
    which: bool | int = resume
    if session is not None:
        if not resume:
            raise InputError(f"unexpected argument '{session}'; to continue a paused session: "
                             f"drill start --resume {session}")
        if not session.strip().isdigit():
            raise InputError(f"--resume takes a session id (a number), not '{session}'")
        which = int(session)
    opts = StartOptions(rounds=round or [], count=count, minutes=minutes, tag=tag, difficulty=difficulty,
                        focus=focus, questions=question or [], editor=editor, strict=strict, packs=pack or [])
    result = start.start(opts, resume=which)
    start.render(result)
    raise typer.Exit(start.exit_code(result))


@app.command("rounds")
@boundary
def rounds_cmd(pack: PackOpt = None, json_out: JsonOpt = False) -> None:
    """The rounds, with question counts."""
    from drill.commands import listing

    listing.render_rounds(listing.rounds(pack), json_out)


@app.command("list")
@boundary
def list_cmd(
    round: RoundOpt = None,
    tag: TagOpt = None,
    difficulty: DifficultyOpt = None,
    pack: PackOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List questions, optionally filtered."""
    from drill.commands import listing

    listing.render_list(listing.list_questions(pack, round, tag, difficulty), json_out)


@app.command("show")
@boundary
def show_cmd(
    uid: UidArg,
    solution: Annotated[bool, typer.Option("--solution", help="Reveal the model answer or reference solution.")] = False,
    pack: PackOpt = None,
) -> None:
    """Show a question: prompt, visible examples, budget and tags (never hidden tests)."""
    from drill.commands import show

    show.render(show.show(uid, pack), solution)


@packs_app.command("list")
@boundary
def packs_list_cmd(pack: PackOpt = None, json_out: JsonOpt = False) -> None:
    """The packs drill found, with question counts per round."""
    from drill.commands import packs

    packs.render_list(packs.list_packs(pack), json_out)


@packs_app.command("validate")
@boundary
def packs_validate_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Pack files or folders.", autocompletion=_completes("paths"))],
    json_out: JsonOpt = False,
) -> None:
    """Check pack files; report every problem as FILE:LINE:COL: message."""
    from drill.commands import packs

    packs.render_validate(packs.validate(paths), json_out)


@packs_app.command("new")
@boundary
def packs_new_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the new pack file.", autocompletion=_completes("paths"))],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    model: Annotated[bool, typer.Option("--model", help="Also write a take-home (model) question, with a tiny generated dataset in a folder beside FILE.")] = False,
) -> None:
    """Scaffold a pack with one question of each kind, valid as written."""
    from drill.commands import packs

    packs.render_new(packs.new_pack(path, force, model))


@packs_app.command("schema")
@boundary
def packs_schema_cmd() -> None:
    """Print the pack format as JSON Schema (for editors)."""
    from drill.commands import packs

    packs.print_schema()


@packs_app.command("audit")
@boundary
def packs_audit_cmd(
    pack_or_path: Annotated[list[str], typer.Argument(help="Pack ids (e.g. coding-ml) or pack files/folders.",
                                                      autocompletion=_completes("packs"))],
    mutants: Annotated[bool, typer.Option("--mutants", help="Also check that hidden tests kill mutants of each Python reference.")] = False,
    min_kill: Annotated[float, typer.Option("--min-kill", help="Lowest acceptable kill rate per question (0-1).")] = 0.9,
    json_out: JsonOpt = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Parallel runs (default: the number of CPUs).", show_default=False)] = None,
) -> None:
    """Run each code/sql question's reference on its tests; with --mutants, measure test strength."""
    from drill.commands import audit
    from drill.packs import audit as core

    with audit.progress_bar(not json_out) as progress:
        result = core.audit(pack_or_path, mutants=mutants, min_kill=min_kill, jobs=jobs, progress=progress)
    audit.render(result, json_out)
    raise typer.Exit(audit.exit_code(result))


@app.command("report")
@boundary
def report_cmd(
    round: RoundOpt = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only attempts since DATE (YYYY-MM-DD) or a span (14d, 4w).")
    ] = None,
    json_out: JsonOpt = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the report with charts to FILE (one self-contained HTML page).",
                                  show_default=False, autocompletion=_completes("paths"))
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="With --html: open the page in your browser.")] = False,
    pack: PackOpt = None,
) -> None:
    """Progress: totals, rounds, weakest tags, due reviews, activity, what to do next."""
    from drill.commands import report

    if html is None:
        if open_:
            from drill.errors import InputError

            raise InputError("--open goes with --html FILE")
        report.render(report.build(pack, round=round, since=since), json_out)
        return
    written = report.write_html(html, pack, round=round, since=since, open_browser=open_)
    report.render_html_done(written, json_out)


@app.command("plan")
@boundary
def plan_cmd(
    interview: Annotated[
        str | None, typer.Option("--interview", help="The interview date, YYYY-MM-DD: stored, and planned for.",
                                 show_default=False)
    ] = None,
    hours: Annotated[
        float | None, typer.Option("--hours-per-day", help="Hours a day you can practise (default 2).",
                                   show_default=False)
    ] = None,
    rounds: Annotated[
        list[str] | None, typer.Option("--rounds", help="Only these rounds (repeatable, or comma-separated; 'all' for every round).",
                                       show_default=False, autocompletion=_completes("plan_rounds"))
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the interview date.")] = False,
    json_out: JsonOpt = False,
    pack: PackOpt = None,
) -> None:
    """The interview date, readiness per round, and a plan to the day that fits your hours."""
    from drill.commands import plan

    plan.render(plan.run(interview=interview, hours=hours, rounds=rounds, clear=clear, extra=pack), json_out)


@app.command("history")
@boundary
def history_cmd(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many attempts to show.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """The latest attempts, newest first."""
    from drill.commands import history

    history.render(history.history(limit), json_out)


@app.command("export")
@boundary
def export_cmd(
    format: Annotated[str, typer.Option("--format", "-f", help="json (lossless) or csv.",
                                        autocompletion=_completes("formats"))] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.",
                                                autocompletion=_completes("paths"))] = None,
) -> None:
    """Export every attempt as JSON or CSV."""
    from drill.commands import export

    n = export.export(format, output)
    if output is not None:
        from drill import ui

        ui.err().print(f"Exported {n} attempt{'s' if n != 1 else ''} to {ui.markup_safe(str(output))}")


@app.command("reset")
@boundary
def reset_cmd(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete all progress (attempts, schedule, sessions); a backup copy is kept first."""
    from drill import ui
    from drill.commands import reset
    from drill.errors import InputError

    path = reset.target()
    if not path.exists():
        ui.out().print("No progress to reset.")
        return
    if not yes:
        try:
            ok = typer.confirm(f"Delete all progress in {path}? (a backup is kept in {reset.backups_dir()})")
        except typer.Abort:
            raise InputError("no confirmation given; pass --yes to reset without asking") from None
        if not ok:
            ui.out().print("Nothing changed.")
            return
    done = reset.reset()
    if done is not None:
        ui.out().print(f"Progress reset ({done.attempts} attempts removed). Backup: {done.backup}")


@app.command("check")
@boundary
def check_cmd(
    uid: UidArg,
    file: Annotated[Path, typer.Argument(help="Answer file: a .py for code questions, a .sql for sql.",
                                         autocompletion=_completes("paths"))],
    examples: Annotated[bool, typer.Option("--examples", help="Run only the visible examples.")] = False,
    json_out: JsonOpt = False,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="After judging, show failing hidden cases' inputs and values.")
    ] = False,
    sandbox: Annotated[
        str, typer.Option("--sandbox", help="auto (bwrap when it works), bwrap, or none (resource limits only).",
                          autocompletion=_completes("sandboxes"))
    ] = "auto",
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not keep this check in your history.")] = False,
    part: Annotated[int, typer.Option("--part", help="Judge follow-up part N of the question (0: the question itself).")] = 0,
    pack: PackOpt = None,
) -> None:
    """Judge an answer on a code or sql question's hidden tests (exit 1 if any case fails).

    A full check is kept in your history and schedules the question's next review;
    --examples runs, --no-record checks and checks of a follow-up --part are not.
    """
    from drill.commands import check

    code = check.run(uid, file, examples=examples, json_out=json_out, reveal=reveal, sandbox=sandbox,
                     no_record=no_record, part=part, pack=pack)
    if code:
        raise typer.Exit(code)


def _plain_help(text: str) -> str:
    from drill.ui import term_safe

    return term_safe(" ".join(text.split()), keep_newlines=False)


def main() -> None:
    if COMPLETING:
        # typer renders each completion's help through rich for zsh and fish (some 0.1 s of
        # imports); drill's help is plain text (rich_markup_mode=None), shown as it is.
        from typer import _completion_classes

        if hasattr(_completion_classes, "_sanitize_help_text"):
            _completion_classes._sanitize_help_text = _plain_help
    try:
        # `drill` for `python -m drill` too: its usage lines, and the completion scripts
        # --show-completion writes (for the `drill` command, read from _DRILL_COMPLETE).
        app(prog_name="drill", complete_var="_DRILL_COMPLETE")
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
