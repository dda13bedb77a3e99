"""Code and SQL questions: the built-in editor (run, submit, judged in the background)
or the candidate's own $EDITOR."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from typing import Any

from drill.errors import DrillError
from drill.judge.verdict import CheckResult
from drill.session.editing import Editing
from drill.session.flow import Outcome, QuestionContext, QuitSession


class CodeAsking(Editing):
    def answer_code(self, ctx: QuestionContext) -> Outcome:
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.lexers import PygmentsLexer

        q = ctx.question
        if q.kind == "code":
            from pygments.lexers.python import PythonLexer as Lex
        else:
            from pygments.lexers.sql import SqlLexer as Lex
        text = ctx.saved_text if ctx.saved_text is not None else (q.starter or default_starter(q))
        busy: dict[str, Any] = {"what": None}
        last: dict[str, Any] = {"text": None, "result": None}
        kb = KeyBindings()
        self._editing_keys(kb)

        def launch(event, examples_only: bool) -> None:
            if busy["what"]:
                return
            current = event.current_buffer.text
            ctx.save(current)
            busy["what"] = "running examples" if examples_only else "judging on hidden tests"

            def finish(result: CheckResult | DrillError) -> None:
                busy["what"] = None
                self._above(lambda: self._show_result(result, examples_only))
                if not examples_only and isinstance(result, CheckResult):
                    last["text"], last["result"] = current, result
                    if result.verdict == "passed" and event.app.is_running:
                        event.app.exit(result="done")
                event.app.invalidate()

            if not self.background:
                finish(self._judge(ctx, current, examples_only))
                return

            async def work() -> None:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(None, self._judge, ctx, current, examples_only)
                finish(result)

            event.app.create_background_task(work())

        @kb.add("c-r", eager=True)
        def _run(event) -> None:
            launch(event, True)

        @kb.add("c-s", eager=True)
        @kb.add("escape", "enter", eager=True)
        def _submit(event) -> None:
            launch(event, False)

        self._common_keys(kb, ctx)
        keys = [("^R", "run examples"), ("^S", "submit"), ("^T", "hint"), ("^X", "next"),
                ("^O", "skip"), ("^C", "quit")]
        prompt_kw = {"lexer": PygmentsLexer(Lex), "multiline": True, "key_bindings": kb,
                     "bottom_toolbar": self._toolbar(ctx, keys, busy), "refresh_interval": 0.5,
                     "prompt_continuation": _line_number, "include_default_pygments_style": True,
                     "message": [("class:lineno", "  1 ")]}
        while True:
            action, text = self._edit_until_done(ctx, text, prompt_kw)
            if action == "skip":
                return Outcome(0.0, "skipped", answer=text, skipped=True)
            if action in ("done", "timeout"):
                if action == "timeout":
                    self.print("[yellow]Time is up: submitting the answer as it stands.[/]")
                check = last["result"]
                if check is None or (action == "timeout" and last["text"] != text):
                    check = self._judge(ctx, text, False)
                    self._show_result(check, False)
                    if isinstance(check, DrillError):
                        return Outcome(0.0, "failed", answer=text, cases=[])
                    last["text"] = text
                return Outcome(check.score, check.verdict, answer=last["text"] or text,
                               cases=[c.to_json() for c in check.cases])

    def _judge(self, ctx: QuestionContext, text: str, examples_only: bool) -> CheckResult | DrillError:
        try:
            return ctx.judge(text, examples_only)
        except DrillError as e:
            return e

    def _show_result(self, result: CheckResult | DrillError, examples_only: bool) -> None:
        from rich.text import Text

        from drill.render.check import check_text

        if isinstance(result, DrillError):
            self.print(f"[red]error:[/] {result.message}")
            return
        label = "Examples" if examples_only else "Hidden tests"
        self.print(f"[bold]{label}[/]")
        self.print(Text(check_text(result, width=self.console.width).rstrip("\n")))

    def _editing_keys(self, kb) -> None:
        from prompt_toolkit.filters import emacs_insert_mode, vi_insert_mode

        insert = emacs_insert_mode | vi_insert_mode

        @kb.add("enter", filter=insert)
        def _newline(event) -> None:
            # Keep the indentation, and indent after a colon, as a code editor does.
            buf = event.current_buffer
            line = buf.document.current_line_before_cursor
            indent = line[: len(line) - len(line.lstrip())]
            if line.rstrip().endswith(":"):
                indent += "    "
            buf.insert_text("\n" + indent)

        @kb.add("tab", filter=insert)
        def _tab(event) -> None:
            event.current_buffer.insert_text("    ")

        @kb.add("s-tab", filter=insert)
        def _dedent(event) -> None:
            buf = event.current_buffer
            line = buf.document.current_line_before_cursor
            n = min(4, len(line) - len(line.rstrip(" "))) if line.strip() == "" else 0
            if n:
                buf.delete_before_cursor(n)

    def answer_in_editor(self, ctx: QuestionContext) -> Outcome:
        """--editor: the candidate's own $VISUAL/$EDITOR on a workspace file."""
        q = ctx.question
        text = ctx.saved_text if ctx.saved_text is not None else (q.starter or default_starter(q))
        path = ctx.save(text)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        while True:
            self.print(f"[dim]Opening {editor} on {path}; save and close it to be judged.[/]")
            try:
                subprocess.run([*shlex.split(editor), str(path)], check=False)
            except OSError as e:
                raise DrillError(f"cannot start the editor '{editor}': {e.strerror}") from None
            text = path.read_text(encoding="utf-8")
            ctx.save(text)
            check = self._judge(ctx, text, False)
            self._show_result(check, False)
            ok = isinstance(check, CheckResult) and check.verdict == "passed"
            if ok or (ctx.strict and ctx.clock.remaining <= 0):
                break
            try:
                again = self._session().prompt(f"{ctx.clock.label()} · edit again? [Y/n/s=skip] ").strip().lower()
            except (KeyboardInterrupt, EOFError):
                if self.confirm_quit():
                    raise QuitSession() from None
                continue
            if again in ("s", "skip"):
                return Outcome(0.0, "skipped", answer=text, skipped=True)
            if again in ("n", "no"):
                break
        if isinstance(check, DrillError):
            return Outcome(0.0, "failed", answer=text, cases=[])
        return Outcome(check.score, check.verdict, answer=text, cases=[c.to_json() for c in check.cases])


def _line_number(width: int, line_number: int, wrap_count: int):
    return [("class:lineno", f"{line_number + 1:>3} " if not wrap_count else "    ")]


def default_starter(q) -> str:
    if q.kind == "sql":
        return "SELECT\n"
    if q.kind == "code" and q.is_class:
        return f"class {q.class_}:\n    def __init__(self):\n        pass\n"
    return f"def {q.function}():\n    pass\n"
