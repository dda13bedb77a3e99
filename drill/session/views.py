"""The views between questions: the intro, the pickers (round, paused session) and the
feedback after each question, which stays until Enter (the next clock starts then)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Window
from prompt_toolkit.layout.controls import FormattedTextControl

from drill.session.editing import title_bar
from drill.session.flow import QuitSession
from drill.session.panes import TextPane, text_window
from drill.session.render import safe, to_ansi
from drill.session.screen import View


class PageView(View):
    """A page of rendered text: Enter goes on, PgUp/PgDn (and arrows) scroll."""

    def __init__(self, title: str, render: Callable[[int], list[Any]], status: str,
                 keys: list[tuple[str, str]], *, ask_before_quit: bool) -> None:
        self.title, self.status_text, self.bar_keys = title, status, keys
        self.pane = TextPane(lambda w: to_ansi(render(w), w))
        self._body = HSplit([title_bar(lambda: self.title), text_window(self.pane)])
        self.ask_before_quit = ask_before_quit

    def body(self) -> Any:
        return self._body

    def status(self) -> list[tuple[str, str]]:
        return [("class:status", f" {self.status_text}")]

    def bar(self) -> list[tuple[str, str]]:
        return self.bar_keys

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()

            @kb.add("enter")
            def _go(event) -> None:
                self.done(True)

            @kb.add("pageup")
            def _pgup(event) -> None:
                self.pane.scroll(-1)

            @kb.add("pagedown")
            @kb.add("space")
            def _pgdn(event) -> None:
                self.pane.scroll(1)

            @kb.add("up")
            def _up(event) -> None:
                self.pane.scroll(-0.5)

            @kb.add("down")
            def _down(event) -> None:
                self.pane.scroll(0.5)

            @kb.add("c-c")
            def _quit(event) -> None:
                if self.ask_before_quit:
                    self.screen.confirm("Quit the session? Finished answers are saved; "
                                        "`drill start --resume` continues it.",
                                        lambda: self.fail(QuitSession()))
                else:
                    self.fail(QuitSession())

            self._kb = kb
        return self._kb


class PickView(View):
    """Choose one of several options (↑/↓, Enter); `extra` keys return (key, value)."""

    def __init__(self, title: str, options: list[tuple[Any, str]],
                 extra: list[tuple[str, str]] | None = None) -> None:
        self.title, self.options, self.extra = title, options, extra or []
        self.pos = 0
        self.window = Window(FormattedTextControl(self._lines, focusable=True), always_hide_cursor=True)
        self._body = HSplit([title_bar(lambda: self.title), self.window])

    def _lines(self):
        out = []
        for i, (_v, label) in enumerate(self.options):
            style = "class:check.cursor" if i == self.pos else ""
            out.append((style, f" {'›' if i == self.pos else ' '} {safe(label)} \n"))
        return out

    def body(self) -> Any:
        return self._body

    def focus(self) -> Any:
        return self.window

    def status(self) -> list[tuple[str, str]]:
        return [("class:status", " drill start")]

    def bar(self) -> list[tuple[str, str]]:
        return [("↑/↓", "move"), ("Enter", "choose"), *self.extra, ("^C", "leave")]

    def keys(self) -> KeyBindings:
        if not hasattr(self, "_kb"):
            kb = KeyBindings()

            @kb.add("up")
            @kb.add("k")
            def _up(event) -> None:
                self.pos = (self.pos - 1) % len(self.options)

            @kb.add("down")
            @kb.add("j")
            def _down(event) -> None:
                self.pos = (self.pos + 1) % len(self.options)

            @kb.add("enter")
            def _pick(event) -> None:
                self.done(("choose", self.options[self.pos][0]))

            for key, _label in self.extra:
                def _extra(event, key: str = key) -> None:
                    self.done((key, self.options[self.pos][0]))

                kb.add(key)(_extra)

            @kb.add("c-c")
            @kb.add("escape", eager=True)
            def _leave(event) -> None:
                self.fail(QuitSession())

            self._kb = kb
        return self._kb
