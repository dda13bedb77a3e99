"""What every answer screen shares: the common keys (hint, next, skip, quit) and one
sitting in an inline prompt-toolkit editor with autosave and the strict clock."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from drill.session.clock import fmt_seconds
from drill.session.flow import QuestionContext, QuitSession

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



class Editing:
    """The base of the round's terminal (drill.session.tui.TerminalUI): consoles, the
    clock bar, printing above a running prompt, and the shared editing sitting."""

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


class _Interrupted:
    def __init__(self, text: str) -> None:
        self.text = text
