"""The round screen's building blocks: a scrollable pane of rendered text, the editor's
keys (indent, dedent, undo, paste that keeps its shape), and word wrap for prose.

Everything here is prompt-toolkit; the screens (drill.session.ask_*) put these together.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from prompt_toolkit.formatted_text import ANSI, StyleAndTextTuples, to_formatted_text
from prompt_toolkit.formatted_text.utils import split_lines
from prompt_toolkit.layout.controls import UIContent, UIControl
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.utils import get_cwidth

INDENT = "    "
# Keys that arrive this close after a batch of several keys still belong to that batch: a
# paste split over two reads of the terminal, never a person typing.
BURST_SECONDS = 0.03


class TextPane(UIControl):
    """Read-only text rendered for the pane's width (again whenever the width changes),
    scrolled by the screen's keys, never by a cursor."""

    def __init__(self, render: Callable[[int], str]) -> None:
        self.render = render  # width -> ANSI text
        self.top = 0
        self._width = -1
        self._lines: list[StyleAndTextTuples] = []
        self.height = 1

    def refresh(self) -> None:
        """The content changed: render again on the next draw, from the top."""
        self._width = -1
        self.top = 0

    def lines(self, width: int) -> list[StyleAndTextTuples]:
        if width != self._width:
            self._lines = list(split_lines(to_formatted_text(ANSI(self.render(width)))))
            self._width = width
        return self._lines

    def text(self) -> str:
        return "\n".join("".join(t for _, t, *_ in line) for line in self._lines)

    def is_focusable(self) -> bool:
        return False

    def create_content(self, width: int, height: int) -> UIContent:
        lines = self.lines(width)
        self.height = max(height, 1)
        self.top = max(0, min(self.top, len(lines) - self.height))
        return UIContent(get_line=lambda i: lines[i], line_count=len(lines),
                         cursor_position=None, show_cursor=False)

    def scroll(self, pages: float) -> None:
        step = max(1, int(self.height * abs(pages)) - 1) if abs(pages) >= 1 else 1
        self.top = max(0, self.top + (step if pages > 0 else -step))

    def more_below(self) -> bool:
        return self.top + self.height < len(self._lines)


def text_window(pane: TextPane, **kw: Any):
    from prompt_toolkit.layout import ScrollbarMargin, Window

    return Window(pane, wrap_lines=False, get_vertical_scroll=lambda w: pane.top,
                  right_margins=[ScrollbarMargin(display_arrows=False)], **kw)


# ---------------------------------------------------------------- word wrap


class WordWrap(Processor):
    """Soft-wrap a line at word boundaries: pad the row before a word that would be cut,
    so the window's own (character) wrapping lands between words. Words longer than
    the row still break by character. Cursor positions map through the padding."""

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        from prompt_toolkit.formatted_text.utils import fragment_list_to_text
        from prompt_toolkit.layout.utils import explode_text_fragments

        width = ti.width
        text = fragment_list_to_text(ti.fragments)
        if width < 8 or get_cwidth(text) <= width:
            return Transformation(ti.fragments)
        pads = wrap_pads(text, width)
        if not pads:
            return Transformation(ti.fragments)
        chars = explode_text_fragments(ti.fragments)
        out: StyleAndTextTuples = []
        where = dict(pads)
        for i, frag in enumerate(chars):
            if i in where:
                out.append(("", " " * where[i]))
            out.append(frag)
        starts = [i for i, _ in pads]
        sizes = [n for _, n in pads]

        def s2d(i: int) -> int:
            return i + sum(n for at, n in zip(starts, sizes, strict=True) if at <= i)

        def d2s(j: int) -> int:
            shift = 0
            for at, n in zip(starts, sizes, strict=True):
                if j < at + shift:
                    break
                if j < at + shift + n:
                    return at  # inside the padding: the start of the wrapped word
                shift += n
            return j - shift

        return Transformation(out, source_to_display=s2d, display_to_source=d2s)


def wrap_pads(text: str, width: int) -> list[tuple[int, int]]:
    """(index, spaces) to insert before index so no word is split across rows."""
    pads: list[tuple[int, int]] = []
    col = 0
    for m in re.finditer(r"\S+|\s+", text):
        w = sum(get_cwidth(c) for c in m.group())
        if not m.group()[0].isspace() and col and col + w > width and w <= width:
            pads.append((m.start(), width - col))
            col = 0
        col = (col + w) % width if col + w != width else 0
    return pads


# ---------------------------------------------------------------- editor keys


class Bursts:
    """Tells pasted input from typing when the terminal does not bracket pastes: a paste
    arrives as many keys in one read, a person's typing as one key at a time."""

    def __init__(self) -> None:
        self.until = 0.0

    def watch(self, app) -> None:
        kp = app.key_processor

        def before(_kp) -> None:
            if kp.input_queue:  # more keys of the same read are waiting
                self.until = time.monotonic() + BURST_SECONDS

        kp.before_key_press += before

    def pasting(self, event) -> bool:
        return bool(event.app.key_processor.input_queue) or time.monotonic() < self.until


def editor_bindings(bursts: Any, *, code: bool):
    """Keys of the editing buffer (they win over the defaults while it has the focus).
    `bursts` answers `pasting(event)` (a Bursts, or a view's proxy to its screen's)."""
    from prompt_toolkit.buffer import unindent
    from prompt_toolkit.filters import emacs_insert_mode, vi_insert_mode
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    kb = KeyBindings()
    insert = emacs_insert_mode | vi_insert_mode

    @kb.add("enter", filter=insert)
    def _newline(event) -> None:
        buf = event.current_buffer
        if not code or bursts.pasting(event):
            buf.insert_text("\n")  # pasted text keeps its own indentation
            return
        line = buf.document.current_line_before_cursor
        indent = line[: len(line) - len(line.lstrip())]
        if line.rstrip().endswith(":"):
            indent += INDENT
        buf.insert_text("\n" + indent)

    @kb.add("tab", filter=insert)
    def _tab(event) -> None:
        buf = event.current_buffer
        if bursts.pasting(event):
            buf.insert_text("\t")
        elif buf.selection_state:
            from prompt_toolkit.buffer import indent

            start, end = _selected_rows(buf)
            indent(buf, start, end + 1)
        else:
            col = buf.document.cursor_position_col
            buf.insert_text(" " * (4 - col % 4) if code else INDENT)

    @kb.add("s-tab")
    def _dedent(event) -> None:
        buf = event.current_buffer
        if buf.selection_state:
            start, end = _selected_rows(buf)
            buf.exit_selection()
        else:
            start = end = buf.document.cursor_position_row
        unindent(buf, start, end + 1)

    @kb.add("backspace", filter=insert)
    def _backspace(event) -> None:
        buf = event.current_buffer
        before = buf.document.current_line_before_cursor
        if code and before and not before.strip(" ") and not buf.selection_state:
            n = len(before) % 4 or 4
            buf.delete_before_cursor(n)  # one indent level
        else:
            buf.delete_before_cursor(1)

    @kb.add("c-z", save_before=lambda e: False)
    def _undo(event) -> None:
        event.current_buffer.undo()

    @kb.add("c-y", save_before=lambda e: False)  # saving first would clear the redo stack
    def _redo(event) -> None:
        event.current_buffer.redo()

    # Undo steps are words: the state is saved before a character that ends one.
    @kb.add(Keys.Any, filter=insert, save_before=lambda e: not (e.data or " ")[0].isalnum())
    def _insert(event) -> None:
        # Control characters never go into an answer as literal text (^Z, ^\, ...).
        data = event.data
        if data and all(c in "\t\n" or c.isprintable() for c in data):
            event.current_buffer.insert_text(data)

    return kb


def _selected_rows(buf) -> tuple[int, int]:
    doc = buf.document
    a, b = sorted((doc.cursor_position, buf.selection_state.original_cursor_position))
    return doc.translate_index_to_position(a)[0], doc.translate_index_to_position(b)[0]


# ---------------------------------------------------------------- the key bar


def bar_lines(keys: list[tuple[str, str]], width: int) -> list[StyleAndTextTuples]:
    """The keys, wrapped between keys (never through one) to fit `width`."""
    lines: list[StyleAndTextTuples] = [[]]
    used = 0
    for key, label in keys:
        w = get_cwidth(key) + get_cwidth(label) + 3
        if used and used + w > width:
            lines.append([])
            used = 0
        lines[-1] += [("class:key", f" {key}"), ("class:bar", f" {label} ")]
        used += w
    return lines
