"""Reading an SQL answer as SQLite's tokenizer would: statements, first keyword, error positions.

String matching on raw text is fooled by a ';' or a keyword inside a string literal or a
comment; tokenizing first is not. The judge still relies on SQLite's authorizer for safety:
this module only gives clear messages and positions.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*")
_NUMBER = re.compile(r"0[xX][0-9A-Fa-f_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?")
_VARIABLE = re.compile(r"[?][0-9]*|[:@$][A-Za-z0-9_]+")
_OPERATORS = ("->>", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->")


@dataclass(frozen=True)
class Token:
    kind: str  # word, number, string, ident, variable, op, semi, comment, space
    text: str
    start: int
    end: int

    @property
    def significant(self) -> bool:
        return self.kind not in ("comment", "space")


def _quoted(sql: str, i: int, close: str, doubled: bool) -> int:
    """End offset of a quoted run starting at i; the end of text when it never closes."""
    j = i + 1
    while True:
        k = sql.find(close, j)
        if k < 0:
            return len(sql)
        if doubled and sql.startswith(close * 2, k):
            j = k + 2
            continue
        return k + 1


def tokenize(sql: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch.isspace():
            j = i + 1
            while j < n and sql[j].isspace():
                j += 1
            kind = "space"
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j + 1
            kind = "comment"
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            kind = "comment"
        elif ch == "'":
            j, kind = _quoted(sql, i, "'", True), "string"
        elif ch in "\"`":
            j, kind = _quoted(sql, i, ch, True), "ident"
        elif ch == "[":
            j, kind = _quoted(sql, i, "]", False), "ident"
        elif ch in "xX" and sql.startswith("'", i + 1):
            j, kind = _quoted(sql, i + 1, "'", True), "string"
        elif ch == ";":
            j, kind = i + 1, "semi"
        elif m := _NUMBER.match(sql, i):
            j, kind = m.end(), "number"
        elif m := _WORD.match(sql, i):
            j, kind = m.end(), "word"
        elif m := _VARIABLE.match(sql, i):
            j, kind = m.end(), "variable"
        else:
            op = next((o for o in _OPERATORS if sql.startswith(o, i)), ch)
            j, kind = i + len(op), "op"
        out.append(Token(kind, sql[i:j], i, j))
        i = j
    return out


def split_statements(sql: str) -> list[tuple[int, int]]:
    """(start, end) of each statement holding more than comments, without its ';'.

    A ';' ends a statement only where sqlite3.complete_statement agrees, as SQLite's own
    shell does, so a semicolon inside a trigger body does not split it.
    """
    spans: list[tuple[int, int]] = []
    start, has_content = 0, False
    for tok in tokenize(sql):
        if tok.kind == "semi" and sqlite3.complete_statement(sql[start:tok.end]):
            if has_content:
                spans.append((start, tok.start))
            start, has_content = tok.end, False
        elif tok.significant:
            has_content = True
    if has_content:
        spans.append((start, len(sql)))
    return spans


def first_word(sql: str) -> str:
    """The first significant token, upper-cased for keywords ('' for none)."""
    for tok in tokenize(sql):
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
    for tok in candidates:
        if compiles(sql[: tok.end]) == message:
            return tok.start
    return candidates[0].start if candidates else None
