"""The terminal side of `drill start`: prompt-toolkit for input, rich for output.

Every screen is an inline prompt-toolkit prompt under the question, so the
terminal's own scrollback keeps the prompt and earlier results, and a resize
simply redraws. The bottom toolbar carries the clock (refreshed every second)
and the keys. Judging runs in a worker thread; the editor never blocks.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from typing import Any

from drill.errors import DrillError
from drill.judge.verdict import CheckResult
from drill.session.clock import fmt_seconds
from drill.session.flow import Outcome, QuestionContext, QuitSession
from drill.session.grading import (
    grade_choice,
    grade_numeric,
    parse_choice,
    parse_number,
    premark,
    score_rubric,
)

AUTOSAVE_SECONDS = 3.0
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

STYLE_RULES = {
    "bottom-toolbar": "noreverse bg:#1c1c1c #d0d0d0",
    "clock.ok": "bold #5fd75f",
    "clock.warn": "bold #ffaf00",
    "clock.over": "bold #ff5f5f",
    "key": "bold #87afff",
    "busy": "#ffd75f",
    "check.cursor": "reverse",
    "check.must": "#ff8787",
    "lineno": "#6c6c6c",
}


def wants_vi() -> bool:
    """vi bindings when the candidate's editor is a vi, or DRILL_KEYS=vi says so."""
    keys = os.environ.get("DRILL_KEYS", "").lower()
    if keys in ("vi", "emacs"):
        return keys == "vi"
    editor = os.path.basename((os.environ.get("VISUAL") or os.environ.get("EDITOR") or "").split(" ")[0])
    return editor in ("vi", "vim", "nvim", "view", "elvis", "nvi")


class TerminalUI:
    def __init__(self, console=None, *, input=None, output=None, background: bool = True,
                 vi: bool | None = None) -> None:
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self.input, self.output = input, output
        self.background = background  # judge in a worker thread; headless tests judge inline
        self.vi = wants_vi() if vi is None else vi

    # ---------------------------------------------------------------- helpers
    def _style(self):
        from prompt_toolkit.styles import Style

        return Style.from_dict(STYLE_RULES)

    def _session(self, **kw: Any):
        from prompt_toolkit import PromptSession

        return PromptSession(input=self.input, output=self.output, style=self._style(),
                             vi_mode=self.vi, **kw)

    def _toolbar(self, ctx: QuestionContext, keys: list[tuple[str, str]], busy: dict | None = None):
        def render():
            clock = ctx.clock
            parts: list[tuple[str, str]] = [
                ("", f" Q{ctx.index + 1}/{ctx.total} "),
                (f"class:clock.{clock.state}", f"⏱ {clock.label()}"),
                ("", f" of {fmt_seconds(clock.budget)} "),
            ]
            if busy and busy.get("what"):
                busy["tick"] = busy.get("tick", 0) + 1
                parts.append(("class:busy", f" {SPINNER[busy['tick'] % len(SPINNER)]} {busy['what']}… "))
            parts.append(("", "\n"))
            for key, what in keys:
                parts += [("class:key", f" {key}"), ("", f" {what} ")]
            return parts

        return render

    def print(self, *args: Any, **kw: Any) -> None:
        self.console.print(*args, **kw)

    def _above(self, func) -> None:
        """Print above a running prompt (inline when there is none, as in tests)."""
        from prompt_toolkit.application import get_app_or_none, run_in_terminal

        app = get_app_or_none()
        if app is not None and app.is_running and self.background:
            run_in_terminal(func)
        else:
            func()

    # ---------------------------------------------------------------- session frame
    def intro(self, state, summaries) -> None:
        from rich.panel import Panel

        total = sum(state.budgets) / 60
        lines = [f"[bold]{state.label}[/] round · {len(summaries)} question(s) · {total:.0f} min in all"]
        for i, (s, b) in enumerate(zip(summaries, state.budgets, strict=True), 1):
            lines.append(f"  {i}. {s.title} [dim]({s.kind}, {s.difficulty}, {b / 60:.0f} min)[/]")
        rules = ["The clock runs from when each question appears."]
        rules.append("At zero the answer is submitted as it stands." if state.strict
                     else "Past zero you can go on in overtime; it is recorded.")
        if state.cram:
            rules.append("Cram practice: attempts are recorded, reviews are not rescheduled.")
        lines.append("[dim]" + " ".join(rules) + "[/]")
        self.print(Panel("\n".join(lines), title="drill start", border_style="cyan"))
        self._wait_enter("Press Enter to begin (Ctrl-C to leave) ")

    def _wait_enter(self, message: str) -> None:
        try:
            self._session().prompt(message)
        except (KeyboardInterrupt, EOFError):
            raise QuitSession() from None

    def confirm_quit(self) -> bool:
        self.print()
        try:
            answer = self._session().prompt("Quit the session? Finished answers are saved. [y/N] ")
        except (KeyboardInterrupt, EOFError):
            return True
        return answer.strip().lower() in ("y", "yes")

    def show_question(self, ctx: QuestionContext) -> None:
        from rich.markdown import Markdown
        from rich.rule import Rule

        from drill.commands.show import render_examples

        q = ctx.question
        tags = ", ".join(q.tags)
        self.print(Rule(f"[bold]Q{ctx.index + 1}/{ctx.total} · {q.title}[/]", style="cyan"))
        self.print(f"[dim]{ctx.loaded.uid} · {q.kind} · {q.difficulty} · budget {fmt_seconds(ctx.clock.budget)}"
                   f"{' · ' + tags if tags else ''}[/]")
        self.print(Markdown(q.prompt))
        render_examples(ctx.loaded, self.console)
        if ctx.clock.carried:
            self.print(f"[yellow]Resumed with {fmt_seconds(ctx.clock.carried)} already used.[/]")

    def ask(self, ctx: QuestionContext) -> Outcome:
        self.show_question(ctx)
        kind = ctx.question.kind
        if kind in ("code", "sql"):
            return self.answer_in_editor(ctx) if ctx.editor else self.answer_code(ctx)
        if kind == "open":
            return self.answer_open(ctx)
        if kind == "choice":
            return self.answer_choice(ctx)
        return self.answer_numeric(ctx)

    def after(self, ctx: QuestionContext, o: Outcome, due, rating) -> None:
        from drill.session.clock import due_phrase

        used = fmt_seconds(o.seconds)
        over = o.seconds > ctx.clock.budget
        colour = "green" if o.score >= 0.75 else ("yellow" if o.score >= 0.5 else "red")
        what = "skipped" if o.skipped else f"{o.verdict} · score {o.score:.0%}"
        time_note = f"[red]{used} (over {fmt_seconds(ctx.clock.budget)})[/]" if over else f"{used} of {fmt_seconds(ctx.clock.budget)}"
        hints = f" · {o.hints} hint(s)" if o.hints else ""
        sched = f" · rated {rating}, back {due_phrase(due)}" if due else " · cram: schedule unchanged"
        self.print(f"[bold {colour}]■ {what}[/] · time {time_note}{hints}{sched}")

    # ---------------------------------------------------------------- code and sql
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
        import contextlib
        import io

        from rich.text import Text

        from drill.commands.check import render

        if isinstance(result, DrillError):
            self.print(f"[red]error:[/] {result.message}")
            return
        label = "Examples" if examples_only else "Hidden tests"
        self.print(f"[bold]{label}[/]")
        # `drill check` renders plain text to stdout; route it through our console so it
        # lands above the editor (and in tests, in the captured screen).
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            render(result)
        self.print(Text(buf.getvalue().rstrip("\n")))

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

    def _common_keys(self, kb, ctx: QuestionContext) -> None:
        @kb.add("c-t", eager=True)
        def _hint(event) -> None:
            hint = ctx.next_hint()
            msg = (f"[bold]Hint {ctx.hints_used}/{len(ctx.question.hints)}:[/] {hint}" if hint
                   else "[dim]No more hints for this question.[/]")
            self._above(lambda: self.print(msg))

        @kb.add("c-x", eager=True)
        def _next(event) -> None:
            event.app.exit(result="done")

        @kb.add("c-o", eager=True)
        def _skip(event) -> None:
            event.app.exit(result="skip")

        @kb.add("c-c", eager=True)
        def _interrupt(event) -> None:
            event.app.exit(result="interrupt")

    def _edit_until_done(self, ctx: QuestionContext, text: str, prompt_kw: dict) -> tuple[str, str]:
        """Edit until the candidate submits, moves on, skips or times out; Ctrl-C asks to quit."""
        while True:
            result = self._edit(ctx, text, prompt_kw)
            if not isinstance(result, _Interrupted):
                return result
            text = result.text
            if self.confirm_quit():
                raise QuitSession()

    def _edit(self, ctx: QuestionContext, text: str, prompt_kw: dict):
        """One sitting in the editor: returns (action, text) or _Interrupted(text)."""
        from prompt_toolkit.application import get_app

        session = self._session(**{k: v for k, v in prompt_kw.items() if k != "message"})
        saved_text, saved_at = text, ctx.clock.now()

        async def ticker() -> None:
            nonlocal saved_text, saved_at
            app = get_app()
            while True:
                current = session.default_buffer.text
                if current != saved_text and ctx.clock.now() - saved_at >= AUTOSAVE_SECONDS:
                    ctx.save(current)
                    saved_text, saved_at = current, ctx.clock.now()
                if ctx.strict and ctx.clock.remaining <= 0:
                    app.exit(result="timeout")
                    return
                await asyncio.sleep(0.2)

        def pre_run() -> None:
            get_app().create_background_task(ticker())

        kw = {"message": prompt_kw.get("message", "")}
        result = session.prompt(kw["message"], default=text, pre_run=pre_run)
        current = session.default_buffer.text
        ctx.save(current)
        if result == "interrupt":
            return _Interrupted(current)
        if result in ("done", "skip", "timeout"):
            return result, current
        return "done", current  # the prompt accepted its text some other way

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

    # ---------------------------------------------------------------- open answers
    def answer_open(self, ctx: QuestionContext) -> Outcome:
        from prompt_toolkit.key_binding import KeyBindings

        q = ctx.question
        text = ctx.saved_text or ""
        kb = KeyBindings()

        @kb.add("c-s", eager=True)
        @kb.add("escape", "enter", eager=True)
        def _submit(event) -> None:
            event.app.exit(result="done")

        self._common_keys(kb, ctx)
        keys = [("^S", "submit"), ("^T", "hint"), ("^O", "skip"), ("^C", "quit")]
        prompt_kw = {"multiline": True, "key_bindings": kb, "refresh_interval": 0.5,
                     "bottom_toolbar": self._toolbar(ctx, keys), "prompt_continuation": lambda w, n, s: "  "}
        self.print("[dim]Write your answer below; Ctrl-S submits.[/]")
        action, text = self._edit_until_done(ctx, text, prompt_kw)
        if action == "skip":
            return Outcome(0.0, "skipped", answer=text, skipped=True)
        if action == "timeout":
            self.print("[yellow]Time is up: your answer is submitted as it stands.[/]")
        suggested = premark(text, q.rubric)
        self.print("[bold]Grade yourself against the rubric.[/] [dim]Points your answer's wording "
                   "suggests are pre-ticked: check each honestly. ! marks a must-have point.[/]")
        while True:
            try:
                ticked = self.checklist(q.rubric, suggested)
                break
            except KeyboardInterrupt:
                if self.confirm_quit():
                    raise QuitSession() from None
        graded = score_rubric(q.rubric, ticked)
        self.show_model_answer(q)
        return Outcome(graded.score, "graded", answer=text, rubric=graded.marks(q.rubric, ticked),
                       missed_must=graded.missed_must)

    def checklist(self, rubric, suggested: list[bool]) -> list[bool]:
        """Tick rubric points: up/down to move, space to toggle, enter to confirm."""
        from prompt_toolkit.application import Application
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        ticked = list(suggested)
        pos = {"i": 0}

        def lines():
            out: list[tuple[str, str]] = []
            for i, p in enumerate(rubric):
                cursor = "class:check.cursor" if i == pos["i"] else ""
                mark = "[x]" if ticked[i] else "[ ]"
                must = ("class:check.must", " !") if p.must else ("", "  ")
                out += [(cursor, f" {mark}"), must, (cursor, f" {p.point}"),
                        ("class:key", f"  ×{p.weight:g}\n")]
            out.append(("class:key", " ↑/↓ move · space tick · enter confirm"))
            return out

        kb = KeyBindings()

        @kb.add("up")
        @kb.add("k")
        def _up(event) -> None:
            pos["i"] = (pos["i"] - 1) % len(rubric)

        @kb.add("down")
        @kb.add("j")
        def _down(event) -> None:
            pos["i"] = (pos["i"] + 1) % len(rubric)

        @kb.add("space")
        @kb.add("x")
        def _toggle(event) -> None:
            ticked[pos["i"]] = not ticked[pos["i"]]

        @kb.add("enter")
        def _done(event) -> None:
            event.app.exit(result=True)

        @kb.add("c-c")
        def _quit(event) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        app: Application = Application(
            layout=Layout(HSplit([Window(FormattedTextControl(lines, focusable=True), wrap_lines=True,
                                         get_line_prefix=lambda n, wrap: "       " if wrap else "")])),
            key_bindings=kb, style=self._style(), full_screen=False,
            input=self.input, output=self.output, erase_when_done=True,
        )
        app.run()
        for p, t in zip(rubric, ticked, strict=True):
            flag = "[red]![/]" if p.must else " "
            self.print(f" {'[green]✓[/]' if t else '[red]✗[/]'}{flag} {p.point}")
        return ticked

    def show_model_answer(self, q) -> None:
        from rich.markdown import Markdown
        from rich.rule import Rule

        self.print(Rule("model answer", style="dim"))
        self.print(Markdown(q.model_answer))
        if q.pitfalls:
            self.print("[bold]Common pitfalls[/]")
            for p in q.pitfalls:
                self.print(f"  • {p}")

    # ---------------------------------------------------------------- choice and numeric
    def _line_answer(self, ctx: QuestionContext, message: str, parse) -> tuple[str, Any] | None:
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.validation import ValidationError, Validator

        class _V(Validator):
            def validate(self, document) -> None:
                try:
                    parse(document.text)
                except ValueError as e:
                    raise ValidationError(message=str(e), cursor_position=len(document.text)) from None

        kb = KeyBindings()
        self._common_keys(kb, ctx)
        keys = [("enter", "answer"), ("^T", "hint"), ("^O", "skip"), ("^C", "quit")]
        text = ctx.saved_text or ""
        while True:
            session = self._session(key_bindings=kb, bottom_toolbar=self._toolbar(ctx, keys),
                                    refresh_interval=0.5, validator=_V(), validate_while_typing=False)
            result = session.prompt(message, default=text)
            text = session.default_buffer.text
            if result == "interrupt":
                ctx.save(text)
                if self.confirm_quit():
                    raise QuitSession()
                continue
            if result == "skip":
                return None
            if result == "done":  # ^X: treat as answering what is typed, if it parses
                try:
                    return text, parse(text)
                except ValueError:
                    return None
            return result, parse(result)

    def answer_choice(self, ctx: QuestionContext) -> Outcome:
        q = ctx.question
        from drill.commands.show import render_choices

        render_choices(q.choices, self.console)
        several = isinstance(q.answer, list) and len(q.answer) > 1
        prompt = f"Your answer ({'letters, e.g. A,C' if several else 'a letter'}): "
        got = self._line_answer(ctx, prompt, lambda t: parse_choice(t, len(q.choices)))
        if got is None:
            return Outcome(0.0, "skipped", skipped=True)
        text, picked = got
        score = grade_choice(picked, q.answer)
        right = q.answer if isinstance(q.answer, list) else [q.answer]
        self.print(("[green]Right.[/]" if score else "[red]Not quite.[/]") + " Answer: "
                   + ", ".join(f"{chr(65 + a)}. {q.choices[a]}" for a in right))
        self._explain(q)
        return Outcome(score, "right" if score else "wrong", answer=text)

    def answer_numeric(self, ctx: QuestionContext) -> Outcome:
        q = ctx.question
        unit = f" ({q.unit})" if q.unit else ""
        got = self._line_answer(ctx, f"Your answer{unit}: ", parse_number)
        if got is None:
            return Outcome(0.0, "skipped", skipped=True)
        text, value = got
        score = grade_numeric(value, q.answer, q.tolerance, q.unit)
        tol = f" ± {q.tolerance:g}" if q.tolerance else ""
        self.print(("[green]Right.[/]" if score else "[red]Not quite.[/]")
                   + f" Answer: {q.answer:g}{tol}{(' ' + q.unit) if q.unit else ''}")
        self._explain(q)
        return Outcome(score, "right" if score else "wrong", answer=text)

    def _explain(self, q) -> None:
        if q.explanation:
            from rich.markdown import Markdown

            self.print(Markdown(q.explanation))


def _line_number(width: int, line_number: int, wrap_count: int):
    return [("class:lineno", f"{line_number + 1:>3} " if not wrap_count else "    ")]


class _Interrupted:
    def __init__(self, text: str) -> None:
        self.text = text


def default_starter(q) -> str:
    if q.kind == "sql":
        return "SELECT\n"
    if q.kind == "code" and q.is_class:
        return f"class {q.class_}:\n    def __init__(self):\n        pass\n"
    return f"def {q.function}():\n    pass\n"
