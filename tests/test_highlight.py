"""The editor's highlighting (drill.session.highlight): the colours prompt-toolkit's
PygmentsLexer gives, lexing again only the chunk that an edit touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.document import Document
from prompt_toolkit.lexers import PygmentsLexer

from drill.session.highlight import ChunkLexer

ROOT = Path(__file__).resolve().parent.parent


def visible(fragments) -> list[tuple[str, str]]:
    """What a line shows: its styled text (zero-width fragments draw nothing)."""
    return [(style, text) for style, text, *_ in fragments if text]


def pygments_cls(language: str):
    if language == "python":
        from pygments.lexers.python import PythonLexer

        return PythonLexer
    from pygments.lexers.sql import SqlLexer

    return SqlLexer


def reference_files() -> list[tuple[Path, str]]:
    out = [(p, "python") for p in sorted((ROOT / "solutions").rglob("*.py"))]
    out += [(p, "sql") for p in sorted((ROOT / "solutions").rglob("*.sql"))]
    return out


@pytest.mark.parametrize(("path", "language"), reference_files(), ids=lambda v: getattr(v, "name", v))
def test_same_colours_as_pygments_lexer_on_every_reference_solution(path, language):
    doc = Document(path.read_text(encoding="utf-8"))
    whole = PygmentsLexer(pygments_cls(language)).lex_document(doc)
    chunked = ChunkLexer(language).lex_document(doc)
    for i in range(len(doc.lines)):
        assert visible(chunked(i)) == visible(whole(i)), f"{path.name} line {i + 1}: {doc.lines[i]!r}"


def program(functions: int) -> str:
    body = ["    total = 0", "    for v in values:", "        total += v * 2  # doubled", "    return total", ""]
    return "\n".join(line for k in range(functions) for line in [f"def f{k}(values):", *body])


def lexed_texts(lexer: ChunkLexer, monkeypatch) -> list[str]:
    """Spy on Pygments: the texts it is asked to lex."""
    seen: list[str] = []
    real = lexer._pygments.get_tokens_unprocessed

    def spy(text):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(lexer._pygments, "get_tokens_unprocessed", spy)
    return seen


def test_an_edit_lexes_only_its_own_chunk_and_only_chunks_on_screen(monkeypatch):
    lexer = ChunkLexer("python")
    text = program(60)  # 360 lines
    doc = Document(text)
    get = lexer.lex_document(doc)
    get(0)  # builds the Pygments lexer
    seen = lexed_texts(lexer, monkeypatch)
    lines = [get(i) for i in range(300, 330)]  # the lines a window shows
    assert all(t.count("\n") <= 6 for t in seen) and 5 <= len(seen) <= 7  # one chunk per function
    # Type a character in function 52: only its chunk is lexed again.
    seen.clear()
    row = 52 * 6 + 2
    edited = text.splitlines()
    edited[row] += "x"
    doc2 = Document("\n".join(edited))
    get2 = lexer.lex_document(doc2)
    lines2 = [get2(i) for i in range(300, 330)]
    assert seen == ["\n".join(edited[52 * 6:53 * 6]) + "\n"]
    # And what it shows is what lexing the whole edited buffer shows.
    whole = PygmentsLexer(pygments_cls("python")).lex_document(doc2)
    assert [visible(x) for x in lines2] == [visible(whole(i)) for i in range(300, 330)]
    assert [visible(x) for x in lines] != [visible(x) for x in lines2]


def test_lines_outside_the_buffer_are_empty():
    get = ChunkLexer("sql").lex_document(Document("SELECT 1;"))
    assert get(5) == [] and get(-1) == []
    assert visible(get(0))[0] == ("class:pygments.keyword", "SELECT")


def test_with_on_ready_lines_are_plain_until_the_lexer_is_built_then_redrawn(monkeypatch):
    import threading

    from drill.session import highlight

    monkeypatch.setattr(highlight, "_built", {})  # as in a fresh process
    ready = threading.Event()
    lexer = ChunkLexer("python", on_ready=ready.set)
    doc = Document("def f(x):\n    return x  # same\n")
    before = lexer.invalidation_hash()
    assert lexer.lex_document(doc)(0) == [("", "def f(x):")]  # drawn at once, plain
    lexer.build()
    assert ready.wait(30)
    assert lexer.invalidation_hash() != before  # the editor draws its lines again
    whole = PygmentsLexer(pygments_cls("python")).lex_document(doc)
    get = lexer.lex_document(doc)
    assert [visible(get(i)) for i in range(2)] == [visible(whole(i)) for i in range(2)]
    # Built already (e.g. ahead, while the intro was read): coloured from the first line.
    ready.clear()
    other = ChunkLexer("python", on_ready=ready.set)
    assert visible(other.lex_document(doc)(0)) == visible(whole(0))
    other.build()
    assert not ready.is_set()  # nothing was drawn plain: no redraw needed
