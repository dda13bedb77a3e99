"""Syntax highlighting for the round's editor that lexes again only what changed.

prompt-toolkit's PygmentsLexer lexes the whole buffer again after every key (from the
first line to the last); with a few hundred lines that costs more than the rest of a
redraw, and the echo of each key waits for it. Here the buffer is cut into chunks at
lines where Pygments is in its root state in any ordinary program (a line opening a
`def` or `class`, at any indentation: prompt-toolkit's own sync points for Python;
a statement keyword at the start of a line for SQL), each chunk is lexed on its own,
and lexed chunks are kept by their text, so typing lexes again only the chunk being
edited. Only chunks with a line on screen are lexed. A sync line inside a multi-line string (a `def`
at the start of a docstring's line) starts a new chunk there, so the rest of that string
is coloured as code: the trade-off prompt-toolkit's syntax sync makes too.

Pygments' lexer is built once per process, and compiling its rules costs about as much
as drawing the whole screen: with `on_ready`, lines are drawn plain until `build()` (which
the editor calls once its first frame is drawn, unless the round built it ahead, while the
intro was read) has built it in a thread, and `on_ready` redraws. The colours are
prompt-toolkit's: the same `class:pygments.*` styles as PygmentsLexer.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.formatted_text.utils import split_lines
from prompt_toolkit.lexers import Lexer

SYNC = {
    "python": re.compile(r"^\s*(?:async\s+)?(?:class|def)\s"),
    "sql": re.compile(r"^(?:with|select|insert|update|delete|create|drop|alter|pragma)\b", re.IGNORECASE),
}
MAX_CHUNKS = 512  # lexed chunks kept (a few per function of the buffer, and their edits)

_styles: dict[Any, str] = {}


def _style(token: Any) -> str:
    style = _styles.get(token)
    if style is None:
        from prompt_toolkit.styles.pygments import pygments_token_to_classname

        style = _styles[token] = "class:" + pygments_token_to_classname(token)
    return style


_built: dict[str, Any] = {}
_building = threading.Lock()


def pygments_lexer(language: str) -> Any:
    """Pygments' lexer for "python" or "sql", as PygmentsLexer builds it; built once per
    process, from any thread."""
    with _building:
        lexer = _built.get(language)
        if lexer is None:
            if language == "python":
                from pygments.lexers.python import PythonLexer as Lex
            else:
                from pygments.lexers.sql import SqlLexer as Lex
            lexer = _built[language] = Lex(stripnl=False, stripall=False, ensurenl=False)
        return lexer


class ChunkLexer(Lexer):
    """Pygments highlighting for "python" or "sql", lexed chunk by chunk (module doc)."""

    def __init__(self, language: str, on_ready: Callable[[], None] | None = None) -> None:
        self.language = language
        self.sync = SYNC[language]
        self.on_ready = on_ready
        self._pygments: Any = None
        self._plain = False  # lines were drawn before the lexer was built
        self._chunks: OrderedDict[str, list[StyleAndTextTuples]] = OrderedDict()

    def invalidation_hash(self) -> Any:
        # What the buffer control caches lines by: drawn plain before the lexer is built.
        return (id(self), self.language in _built)

    def build(self) -> None:
        """Build Pygments' lexer in a thread, then call `on_ready`."""
        if self.language in _built:
            if self._plain and self.on_ready is not None:
                self.on_ready()
            return

        def run() -> None:
            pygments_lexer(self.language)
            if self.on_ready is not None:
                self.on_ready()

        threading.Thread(target=run, name="drill-lexer", daemon=True).start()

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines
        sync = self.sync.match
        starts = [0, *(i for i in range(1, len(lines)) if sync(lines[i]))]
        done: dict[int, list[StyleAndTextTuples]] = {}

        def get_line(i: int) -> StyleAndTextTuples:
            if not 0 <= i < len(lines):
                return []
            k = bisect_right(starts, i) - 1
            chunk = done.get(k)
            if chunk is None:
                end = starts[k + 1] if k + 1 < len(starts) else len(lines)
                chunk = done[k] = self.chunk(lines[starts[k]:end])
            return chunk[i - starts[k]]

        return get_line

    def chunk(self, lines: list[str]) -> list[StyleAndTextTuples]:
        """The fragments of each of `lines`, lexed together from the root state."""
        text = "\n".join(lines)
        found = self._chunks.get(text)
        if found is not None:
            self._chunks.move_to_end(text)
            return found
        if self._pygments is None:
            self._pygments = _built.get(self.language)
            if self._pygments is None:
                if self.on_ready is not None:
                    self._plain = True
                    return [[("", line)] for line in lines]  # plain, and not kept
                self._pygments = pygments_lexer(self.language)
        # A newline after the last line, as the lines that follow would give it.
        fragments = [(_style(t), v) for _, t, v in self._pygments.get_tokens_unprocessed(text + "\n")]
        found = list(split_lines(fragments))[:len(lines)]
        self._chunks[text] = found
        if len(self._chunks) > MAX_CHUNKS:
            self._chunks.popitem(last=False)
        return found
