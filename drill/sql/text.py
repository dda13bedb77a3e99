"""Reading an SQL answer as SQLite's tokenizer would: statements, first keyword, error positions.

String matching on raw text is fooled by a ';' or a keyword inside a string literal or a
comment; tokenizing first is not. The judge still relies on SQLite's authorizer for safety:
this module only gives clear messages and positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# One regex, its alternatives in the order SQLite's tokenizer tries them. A word is a
# letter, _ or any non-ASCII character, then those, digits or $: written as the ASCII
# characters it is not, because the range \x80-\U0010ffff takes re some 4 ms to compile,
# on every SQL check.
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>--[^\n]*\n?|/\*.*?(?:\*/|\Z))
  | (?P<string>[xX]?'(?:[^']+|'')*(?:'|\Z))
  | (?P<ident>"(?:[^"]+|"")*(?:"|\Z)|`(?:[^`]+|``)*(?:`|\Z)|\[[^\]]*(?:\]|\Z))
  | (?P<semi>;)
  | (?P<number>0[xX][0-9A-Fa-f_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)
  | (?P<word>[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*)
  | (?P<variable>[?][0-9]*|[:@$][A-Za-z0-9_]+)
  | (?P<op>->>|\|\||<=|>=|<>|!=|==|<<|>>|->|.)
""", re.S | re.X)


class Token(NamedTuple):  # a tuple: a long answer has a hundred thousand of them
    kind: str  # word, number, string, ident, variable, op, semi, comment, space
    text: str
    start: int
    end: int

    @property
    def significant(self) -> bool:
        return self.kind not in ("comment", "space")


def tokenize(sql: str) -> list[Token]:
    return list(tokens(sql))


def tokens(sql: str) -> Iterator[Token]:
    """The tokens of `sql`, lazily: `first_word` needs only the first few."""
    for m in _TOKEN.finditer(sql):
        kind = m.lastgroup or "op"
        yield Token(kind, m.group(), m.start(), m.end())


# SQLite's sqlite3_complete() automaton (complete.c): a ';' ends a statement unless it
# falls between CREATE [TEMP] TRIGGER and END. Run once over the tokens here, instead of
# calling sqlite3.complete_statement on an ever longer prefix at each ';' (quadratic).
_SEMI, _WS, _OTHER, _EXPLAIN, _CREATE, _TEMP, _TRIGGER, _END = range(8)
_TRANSITIONS = (
    # SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END
    (1, 0, 2, 3, 4, 2, 2, 2),  # 0 invalid (nothing yet)
    (1, 1, 2, 3, 4, 2, 2, 2),  # 1 start (after a complete statement)
    (1, 2, 2, 2, 2, 2, 2, 2),  # 2 normal
    (1, 3, 3, 2, 4, 2, 2, 2),  # 3 explain
    (1, 4, 2, 2, 2, 4, 5, 2),  # 4 create
    (6, 5, 5, 5, 5, 5, 5, 5),  # 5 trigger body
    (6, 6, 5, 5, 5, 5, 5, 7),  # 6 ';' in a trigger body
    (1, 7, 5, 5, 5, 5, 5, 5),  # 7 END after ';'
)
_KEYWORD_CLASS = {"EXPLAIN": _EXPLAIN, "CREATE": _CREATE, "TEMP": _TEMP, "TEMPORARY": _TEMP,
                  "TRIGGER": _TRIGGER, "END": _END}


def _token_class(tok: Token) -> int:
    if tok.kind == "semi":
        return _SEMI
    if not tok.significant:
        return _WS
    if tok.kind == "word":
        return _KEYWORD_CLASS.get(tok.text.upper(), _OTHER)
    return _OTHER


def split_statements(sql: str) -> list[tuple[int, int]]:
    """(start, end) of each statement holding more than comments, without its ';'.

    A ';' ends a statement only where sqlite3_complete would agree, as SQLite's own shell
    does, so a semicolon inside a trigger body does not split it.
    """
    if ";" not in sql:  # the usual answer: one statement, no need to read every token
        return [(0, len(sql))] if first_word(sql) else []
    spans: list[tuple[int, int]] = []
    start, has_content, state = 0, False, 0
    for tok in tokens(sql):
        state = _TRANSITIONS[state][_token_class(tok)]
        if tok.kind == "semi" and state == 1:
            if has_content:
                spans.append((start, tok.start))
            start, has_content, state = tok.end, False, 0
        elif tok.significant:
            has_content = True
    if has_content:
        spans.append((start, len(sql)))
    return spans


def first_word(sql: str) -> str:
    """The first significant token, upper-cased for keywords ('' for none)."""
    for tok in tokens(sql):
        if tok.significant:
            return tok.text.upper() if tok.kind == "word" else tok.text
    return ""


def line_col(sql: str, offset: int) -> tuple[int, int]:
    line = sql.count("\n", 0, offset) + 1
    col = offset - (sql.rfind("\n", 0, offset) + 1) + 1
    return line, col


_NEAR = re.compile(r'^near "(.*)": syntax error$', re.S)
_UNRECOGNIZED = re.compile(r'^unrecognized token: "(.*)"$', re.S)
_NO_SUCH = re.compile(r"^no such (?:column|table|function): (.+)$", re.S)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] + text[-1] in ('""', "``", "[]"):
        return text[1:-1]
    return text


def error_offset(sql: str, message: str, compiles) -> int | None:
    """Where in `sql` SQLite's compile error `message` arose, when that can be told.

    Python 3.11's sqlite3 does not expose SQLite's error offset. SQLite parses left to
    right and stops at the first token it cannot take, so among the tokens the message
    names, the culprit is the first one whose prefix (ending with it) already fails with
    the same message; `compiles(prefix)` returns the error message of a prefix, or None.
    """
    if message == "incomplete input":
        return len(sql.rstrip())
    if m := _UNRECOGNIZED.match(message):
        at = sql.find(m.group(1))
        return at if at >= 0 else None
    if m := _NO_SUCH.match(message):
        name = m.group(1).rsplit(".", 1)[-1].lower()
        for tok in tokenize(sql):
            if tok.kind in ("word", "ident") and _unquote(tok.text).lower() == name:
                return tok.start
        return None
    m = _NEAR.match(message)
    if not m:
        return None
    near = m.group(1)
    candidates = [t for t in tokenize(sql) if t.significant and t.text == near]
    if not candidates:
        return None
    # A prefix that ends before the culprit parses (or stops at its end); one that ends at
    # or after it fails with the same message. Binary search, so a long answer with many
    # copies of the token costs a few compiles, not one per copy (a 180 KB statement took
    # 11-16 s that way).
    lo, hi = 0, len(candidates) - 1
    if compiles(sql[: candidates[hi].end]) != message:
        return candidates[0].start
    while lo < hi:
        mid = (lo + hi) // 2
        if compiles(sql[: candidates[mid].end]) == message:
            hi = mid
        else:
            lo = mid + 1
    return candidates[lo].start
