"""The round's full-screen application: one prompt-toolkit Application for the whole
round, showing one *view* at a time (intro, a question, the rubric, feedback, pickers).

Threads: the Application runs in the main thread (it owns the terminal, resizes and
signals); the round's logic (drill.session.flow, the store) runs in a worker thread and
calls `Screen.show(view)`, which mounts the view and blocks until the view resolves.
Keys typed while no view takes input (between two views) are held and replayed to the
next one, so typing ahead loses nothing.

A view (class `View`) gives a body container, its keys, the key bar's entries and the
status line; `Screen` draws the status line and key bar under it, asks confirmations in
a dialog over it (the screen stays as it was after "no"), and on SIGTERM or SIGHUP saves
the view's work and ends the round as an interruption.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import signal
import threading
from collections.abc import Callable
from typing import Any

from prompt_toolkit.application import Application
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.key_binding.key_bindings import DynamicKeyBindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import (
    ConditionalContainer,
    DynamicContainer,
    Float,
    FloatContainer,
    HSplit,
    Layout,
    Window,
)
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension

from drill.session.flow import QuitSession
from drill.session.panes import Bursts, bar_lines

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
# Below this size one pane shows at a time (a key flips between question and editor).
MIN_COLUMNS, MIN_ROWS = 60, 15
WIDE_COLUMNS = 100  # from here question and editor sit side by side

STYLE_RULES = {
    "bar": "bg:#1c1c1c #d0d0d0",
    "status": "bg:#303030 #e4e4e4",
    "key": "bg:#1c1c1c bold #87afff",
    "clock.ok": "bold #5fd75f",
    "clock.warn": "bold #ffaf00",
    "clock.over": "bold #ff5f5f",
    "clock.stopped": "#a8a8a8",
    "busy": "#ffd75f",
    "notice": "#ffd75f",
    "pane.title": "reverse",
    "pane.title.dim": "#a8a8a8 reverse",
    "check.cursor": "reverse",
    "check.must": "#ff8787",
    "lineno": "#6c6c6c",
    "dialog": "bg:#303030 #ffffff",
    "dialog frame.label": "bold",
}


class View:
    """One screen of the round. Subclasses fill in `body`, `keys` and `bar`."""

    screen: Screen
    future: concurrent.futures.Future
    shown: threading.Event  # set once its first frame is drawn

    def body(self) -> Any:
        raise NotImplementedError

    def keys(self) -> KeyBindings:
        return KeyBindings()

    def bar(self) -> list[tuple[str, str]]:
        return []

    def status(self) -> list[tuple[str, str]]:
        return []

    def focus(self) -> Any:
        """The window to focus when mounted (None: the screen's hold window)."""
        return None

    def mounted(self) -> None:
        """Called in the event loop once the view is on screen."""

    def drawn(self) -> None:
        """Called in the event loop once the view's first frame is drawn."""

    def save_work(self) -> None:
        """Save what the candidate typed (before a signal ends the round)."""

    # ---- for subclasses
    def done(self, value: Any = None) -> None:
        self.screen.resolve(self, value)

    def fail(self, exc: BaseException) -> None:
        self.screen.resolve(self, exc=exc)


class Screen:
    """The Application and the bridge to the worker thread (see the module doc)."""

    def __init__(self, *, input=None, output=None, vi: bool = False, background: bool = True,
                 after_render: Callable[[Application], None] | None = None) -> None:
        self.input, self.output, self.vi, self.background = input, output, vi, background
        self.view: View | None = None
        self.accepting = False
        self.held: list = []
        self.dialog: dict[str, Any] | None = None
        self.notice = ""
        self.terminating = False
        self.bursts = Bursts()
        self._after_render = after_render
        self._tick = 0
        self._first_frame = False  # a view was mounted: tell it when its first frame is drawn
        self._refreeze = False  # collect and freeze the heap after the next frame (`settle`)
        self._freezes = input is None and output is None  # the process's own terminal, not a test's
        self.app: Application | None = None
        self.loop: Any = None
        self.pending: concurrent.futures.Future | None = None  # a worker's confirmation

    # ------------------------------------------------------------ running
    def run(self, work: Callable[[], Any]) -> Any:
        """Run `work` in a worker thread while the screen runs here; return its result
        (or raise its exception) once the terminal is restored."""
        self.app = app = self._build()
        outcome: dict[str, Any] = {}

        def worker() -> None:
            try:
                outcome["value"] = work()
            except BaseException as e:  # handed to the main thread, raised there
                outcome["error"] = e
            finally:
                loop = self.loop
                if loop is not None and not loop.is_closed():
                    loop.call_soon_threadsafe(self._finish)

        thread = threading.Thread(target=worker, name="drill-round", daemon=True)

        def pre_run() -> None:
            import asyncio

            self.loop = asyncio.get_running_loop()
            self.bursts.watch(app)

            def clear_notice(_kp) -> None:
                self.notice = ""

            app.key_processor.before_key_press += clear_notice
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                # Not in the main thread (some tests), or no such signal here: no handler.
                with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                    self.loop.add_signal_handler(sig, self.terminate)
            thread.start()

        try:
            app.run(pre_run=pre_run, handle_sigint=False)
        finally:
            self.accepting = False
            if thread.is_alive():
                # The screen ended first (a crash in a view): the round ends as an interruption.
                self.terminating = True
                self._fail_pending(QuitSession())
                thread.join(timeout=10)
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                with contextlib.suppress(ValueError, RuntimeError, NotImplementedError, AttributeError):
                    self.loop.remove_signal_handler(sig)
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def _finish(self) -> None:
        if self.app is not None and self.app.is_running and not self.app.is_done:
            self.app.exit()

    def show(self, view: View, then: Callable[[], Any] | None = None) -> Any:
        """From the worker thread: put `view` on screen and wait for its result. `then`
        runs here once the view's first frame is drawn (or the view is done): work for
        what comes next, done while this view is read."""
        if self.terminating or self.loop is None:
            raise QuitSession()
        view.screen = self
        view.future = concurrent.futures.Future()
        view.shown = threading.Event()
        view.future.add_done_callback(lambda _f: view.shown.set())
        self.loop.call_soon_threadsafe(self._mount, view)
        if then is not None:
            view.shown.wait()
            then()
        return view.future.result()

    def call(self, fn: Callable[[], Any]) -> None:
        """From any thread: run `fn` in the event loop."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(fn)

    def _mount(self, view: View) -> None:
        if self.terminating:
            view.future.set_exception(QuitSession())
            return
        self.view = view
        self.dialog = None
        self.notice = ""
        self.accepting = True
        self._first_frame = self._refreeze = True
        self._focus_view()
        view.mounted()
        self.invalidate()
        self.replay()

    def replay(self) -> None:
        """Keys held while nothing took input go to what is on screen now."""
        if self.held and self.app is not None:
            held, self.held = self.held, []
            kp = self.app.key_processor
            kp.feed_multiple(held, first=True)
            kp.process_keys()

    def resolve(self, view: View, value: Any = None, exc: BaseException | None = None) -> None:
        """In the event loop: the view is finished; hold keys until the next one."""
        if view is not self.view or view.future.done():
            return
        self.accepting = False
        self.dialog = None
        self._focus_hold()
        if exc is not None:
            view.future.set_exception(exc)
        else:
            view.future.set_result(value)

    def _fail_pending(self, exc: BaseException) -> None:
        if self.pending is not None and not self.pending.done():
            self.pending.set_exception(exc)
        view = self.view
        if view is not None and not view.future.done():
            view.future.set_exception(exc)

    def terminate(self) -> None:
        """SIGTERM, SIGHUP (and SIGINT sent by kill): save the work, end the round."""
        if self.terminating:
            return
        self.terminating = True
        if self.pending is not None and not self.pending.done():
            self.dialog = None
            self.pending.set_exception(QuitSession())
        view = self.view
        if view is not None and not view.future.done():
            try:
                view.save_work()
            finally:
                self.resolve(view, exc=QuitSession())

    # ------------------------------------------------------------ dialogs and notices
    def confirm(self, question: str, on_yes: Callable[[], None], on_no: Callable[[], None] | None = None,
                *, default_yes: bool = False) -> None:
        """Ask in a dialog over the screen; y/n (Enter takes the default, Esc and ^C say no)."""
        if self.dialog is not None:
            return
        self.dialog = {"text": question, "yes": on_yes, "no": on_no, "default": default_yes,
                       "focus": self.app.layout.current_window if self.app else None}
        if self.app is not None:
            self.app.layout.focus(self._dialog_window)
        self.invalidate()

    def _answer(self, yes: bool) -> None:
        d = self.dialog
        if d is None:
            return
        self.dialog = None
        if self.app is not None and self.accepting and self.view is not None and not self.view.future.done():
            try:
                self.app.layout.focus(d["focus"] or self._hold)
            except ValueError:
                self._focus_view()
        self.invalidate()
        fn = d["yes"] if yes else d["no"]
        if fn is not None:
            fn()

    def say(self, text: str) -> None:
        """A one-line notice in the status line, until the next key."""
        self.notice = text
        self.invalidate()

    def invalidate(self) -> None:
        if self.app is not None:
            self.app.invalidate()

    @property
    def size(self) -> tuple[int, int]:
        if self.app is None:
            return 80, 24
        s = self.app.output.get_size()
        return s.columns, s.rows

    @property
    def tiny(self) -> bool:
        cols, rows = self.size
        return cols < MIN_COLUMNS or rows < MIN_ROWS

    @property
    def wide(self) -> bool:
        return self.size[0] >= WIDE_COLUMNS

    def spinner(self) -> str:
        return SPINNER[self._tick % len(SPINNER)]

    # ------------------------------------------------------------ focus
    def _focus_view(self) -> None:
        if self.app is None or self.view is None:
            return
        target = self.view.focus()
        try:
            self.app.layout.focus(target if target is not None else self._hold)
        except ValueError:
            self.app.layout.focus(self._hold)

    def _focus_hold(self) -> None:
        if self.app is not None:
            self.app.layout.focus(self._hold)

    # ------------------------------------------------------------ building
    def _build(self) -> Application:
        from prompt_toolkit.enums import EditingMode
        from prompt_toolkit.styles import Style

        self._hold = Window(FormattedTextControl("", focusable=True), height=Dimension.exact(0),
                            always_hide_cursor=True)
        self._dialog_window = Window(FormattedTextControl(self._dialog_text, focusable=True),
                                     wrap_lines=True, always_hide_cursor=True)
        # A plain box (prompt_toolkit.widgets would cost start-up time for one frame).
        dialog = ConditionalContainer(
            HSplit([Window(height=1, char="─", style="class:dialog"), self._dialog_window,
                    Window(height=1, char="─", style="class:dialog")], style="class:dialog"),
            filter=Condition(lambda: self.dialog is not None))
        body = DynamicContainer(lambda: self.view.body() if self.view is not None else Window())
        root = FloatContainer(
            HSplit([
                body,
                Window(FormattedTextControl(self._status), height=1, style="class:status"),
                Window(FormattedTextControl(self._keybar), height=self._keybar_height, style="class:bar"),
                self._hold,
            ]),
            floats=[Float(dialog, width=lambda: min(64, self.size[0] - 2))],
        )
        app: Application = Application(
            layout=Layout(root, focused_element=self._hold),
            key_bindings=merge_key_bindings([self._global_keys(), DynamicKeyBindings(self._active_keys)]),
            style=Style.from_dict(STYLE_RULES),
            full_screen=True, mouse_support=False, refresh_interval=0.5,
            editing_mode=EditingMode.VI if self.vi else EditingMode.EMACS,
            input=self.input, output=self.output, erase_when_done=True,
            after_render=self._rendered,
        )
        return app

    def settle(self) -> None:
        """Much was just loaded (a judged run loads the question in full): collect and
        freeze the heap after the next frame (see `_rendered`)."""
        self._refreeze = True
        self.invalidate()

    def _rendered(self, app: Application) -> None:
        self._tick += 1
        if self._refreeze and self._freezes:
            self._refreeze = False
            # What is loaded by now (modules, the question, the view) lives as long as the
            # round: out of the cyclic collector's full passes, which otherwise stall a
            # keystroke's echo for 50-200 ms every few seconds of typing. What the last view
            # or load left behind is collected first (once, as a screen is being read).
            if gc.get_freeze_count():
                gc.unfreeze()
                gc.collect()
            gc.freeze()
        if self._first_frame:
            self._first_frame = False
            view = self.view
            if view is not None:
                view.shown.set()
                view.drawn()
        if self._after_render is not None:
            self._after_render(app)

    def _active_keys(self):
        if self.dialog is not None:
            return self._dialog_keys()
        if self.accepting and self.view is not None:
            return self.view.keys()
        return None

    def _global_keys(self) -> KeyBindings:
        kb = KeyBindings()
        holding = Condition(lambda: not self.accepting and self.dialog is None)

        @kb.add(Keys.Any, filter=holding)
        def _hold(event) -> None:
            self.held.extend(event.key_sequence)

        return kb

    def _dialog_keys(self) -> KeyBindings:
        kb = KeyBindings()
        d = self.dialog or {}

        @kb.add("y")
        @kb.add("Y")
        def _yes(event) -> None:
            self._answer(True)

        @kb.add("n")
        @kb.add("N")
        @kb.add("escape", eager=True)
        @kb.add("c-c")
        def _no(event) -> None:
            self._answer(False)

        @kb.add("enter")
        def _default(event) -> None:
            self._answer(bool(d.get("default")))

        @kb.add(Keys.Any)
        def _ignore(event) -> None:
            pass

        return kb

    def _dialog_text(self):
        d = self.dialog
        if d is None:
            return []
        hint = "[Y/n]" if d["default"] else "[y/N]"
        return [("class:dialog", f" {d['text']} "), ("class:dialog bold", hint)]

    def _status(self):
        out = self.view.status() if self.view is not None else []
        if self.notice:
            out = [*out, ("class:notice", f" {self.notice}")]
        return out

    def _keys(self) -> list[tuple[str, str]]:
        if self.dialog is not None:
            return [("y", "yes"), ("n", "no")]
        return self.view.bar() if self.view is not None else []

    def _keybar(self):
        lines = bar_lines(self._keys(), self.size[0])
        out: list[tuple[str, str]] = []
        for i, line in enumerate(lines):
            if i:
                out.append(("", "\n"))
            out += line
        return out

    def _keybar_height(self) -> Dimension:
        return Dimension.exact(max(1, len(bar_lines(self._keys(), self.size[0]))))


def wants_vi() -> bool:
    """vi bindings when the candidate's editor is a vi, or DRILL_KEYS=vi says so."""
    import os

    keys = os.environ.get("DRILL_KEYS", "").lower()
    if keys in ("vi", "emacs"):
        return keys == "vi"
    editor = os.path.basename((os.environ.get("VISUAL") or os.environ.get("EDITOR") or "").split(" ")[0])
    return editor in ("vi", "vim", "nvim", "view", "elvis", "nvi")
