"""Text from an answer, a pack, a dataset or the database never reaches the terminal raw.

Each command runs for real in a subprocess on a hostile pack (titles, prompts, names,
choices, SQL dataset values, a solution, unknown keys holding escape sequences, OSC 52
clipboard writes, C1 controls and bidi overrides), hostile answers and a hostile history,
and nothing it prints may carry a raw control character: drill shows them escaped.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from drill.progress.store import Attempt, open_store
from tests.conftest import run_drill

# What must never be written raw: C0 (but newline and tab), DEL, C1, bidi overrides.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

ESC_TITLE = "\x1b]0;pwned\x07\x1b[2J"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"

HOSTILE_PACK = r'''
pack: evil
title: "Evil \e[5m pack \u202e"
format: 1
questions:
  - id: sum
    kind: code
    round: coding
    title: "Sum \e]0;pwned\a\e[2J [/bold] [red]"
    prompt: "Add \e]52;c;ZXZpbA==\a the numbers \x9b31m and \u202e reversed."
    function: f
    starter: "def f(a, b):\n    return '\e[2J'\n"
    hints: ["\e[31mhint"]
    examples:
      - name: "\e[2Jex"
        args: [1, 2]
        expected: 3
    tests:
      - name: "\e]52;c;eA==\ahidden"
        args: [2, 3]
        expected: 5
      - args: ["\e]0;t\a", "\x9b2J"]
        expected: "\e]0;t\a\x9b2J"
    solution: sum.py
  - id: rows
    kind: sql
    round: sql
    title: "Rows \e[2J"
    prompt: "Return \e]52;c;ZXZpbA==\a everything."
    schema: "CREATE TABLE t (v TEXT);"
    examples:
      - name: "\e[1mex"
        data: {t: [["\e]0;cell\a"], ["\x9b2J"]]}
        expected: [["\e]0;cell\a"], ["\x9b2J"]]
    tests:
      - data: {t: [["\e[2J"]]}
        expected: [["\e[2J"]]
    solution: rows.sql
  - id: pick
    kind: choice
    round: stats
    title: "Pick \e[2J"
    prompt: "Choose."
    choices: ["\e]52;c;ZXZpbA==\a one", "two \u202e"]
    answer: 0
    explanation: "\e[2J because."
  - id: essay
    round: mlops
    title: "Essay \x9b2J"
    prompt: "Explain \e]0;t\a."
    rubric:
      - point: "\e[2J first point"
      - point: second point
      - point: third point
    model_answer: "Model \e]52;c;ZXZpbA==\a answer."
    pitfalls: ["\e[31mpitfall"]
'''

BROKEN_PACK = 'pack: broken\ntitle: b\nformat: 1\n"\\e]0;key\\a": 1\nquestions: []\n'


def assert_clean(r, what: str) -> None:
    for name, text in (("stdout", r.stdout), ("stderr", r.stderr)):
        bad = RAW.search(text)
        assert bad is None, f"{what}: raw {bad.group()!r} in {name}: {text[max(0, bad.start() - 60):bad.end() + 20]!r}"
    assert "Traceback" not in r.stderr, f"{what}: {r.stderr}"


@pytest.fixture
def hostile(tmp_path: Path, drill_home: Path) -> Path:
    folder = drill_home / "packs"
    folder.mkdir(parents=True)
    (folder / "evil.yaml").write_text(textwrap.dedent(HOSTILE_PACK), encoding="utf-8")
    (folder / "sum.py").write_text(f"def f(a, b):\n    return a + b  # {ESC_TITLE}\n", encoding="utf-8")
    (folder / "rows.sql").write_text("SELECT v FROM t -- \x1b[2J\n", encoding="utf-8")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
    return folder


def test_pack_text_is_shown_escaped_in_every_command(hostile, tmp_path):
    r = run_drill("packs", "validate", str(hostile))
    assert r.returncode == 0, r.stdout + r.stderr  # the hostile pack is valid: only its text is hostile
    for args in (["list"], ["list", "--json"], ["rounds"], ["packs", "list"], ["packs", "list", "--json"],
                 ["show", "evil/sum"], ["show", "evil/sum", "--solution"], ["show", "evil/rows", "--solution"],
                 ["show", "evil/pick", "--solution"], ["show", "evil/essay", "--solution"],
                 ["packs", "validate", str(tmp_path / "broken")],
                 ["packs", "validate", "--json", str(tmp_path / "broken")],
                 ["list", "--pack", str(tmp_path / "broken")], ["packs", "audit", "evil", "--mutants"],
                 ["packs", "audit", str(tmp_path / "broken")]):
        r = run_drill(*args)
        assert r.returncode in (0, 1), (args, r.stderr)
        assert_clean(r, " ".join(args))
    shown = run_drill("show", "evil/sum").stdout
    assert "\\x1b]0;pwned\\x07" in shown and "[/bold] [red]" in shown  # shown, literally
    listed = json.loads(run_drill("list", "--json").stdout)
    assert any(q["title"].startswith("Sum \x1b]0;pwned\x07") for q in listed)  # JSON keeps the value


def test_answers_and_sql_errors_are_shown_escaped(hostile, tmp_path):
    sql = tmp_path / "a.sql"
    sql.write_text(f"SELECT `{ESC_TITLE}{CLIPBOARD}` FROM t", encoding="utf-8")
    r = run_drill("check", "evil/rows", str(sql))
    assert r.returncode == 1
    assert_clean(r, "check sql: unknown column")
    assert "no such column" in r.stdout and "\\x1b]0;pwned" in r.stdout
    sql.write_text(f"SELECT v FROM t WHERE {CLIPBOARD} = 1", encoding="utf-8")
    r = run_drill("check", "evil/rows", str(sql), "--json")
    assert_clean(r, "check sql --json: unrecognized token")
    sql.write_text("SELECT v || '\x1b[2J' FROM t", encoding="utf-8")
    for extra in ([], ["--reveal"], ["--json"]):
        r = run_drill("check", "evil/rows", str(sql), *extra)
        assert r.returncode == 1
        assert_clean(r, f"check sql wrong answer {extra}")
    code = tmp_path / "a.py"
    code.write_text(f"print({CLIPBOARD!r})\ndef f(a, b):\n    raise ValueError({ESC_TITLE!r})\n", encoding="utf-8")
    for extra in ([], ["--reveal"], ["--json"]):
        r = run_drill("check", "evil/sum", str(code), "--sandbox", "none", *extra)
        assert r.returncode == 1
        assert_clean(r, f"check code {extra}")
    code.write_text(f"def f(a, b):\n    return {ESC_TITLE!r} * 3\n", encoding="utf-8")
    r = run_drill("check", "evil/sum", str(code), "--sandbox", "none", "--reveal")
    assert_clean(r, "check code wrong value")
    for args in (["history"], ["history", "--json"], ["report"], ["report", "--json"], [],
                 ["export"], ["export", "--format", "json"]):
        r = run_drill(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert_clean(r, " ".join(args) or "dashboard")


def hostile_attempt() -> Attempt:
    now = datetime.now(UTC)
    return Attempt(uid=f"evil/{ESC_TITLE}", pack="evil", round="r\x9b2J", kind="code", difficulty="easy",
                   tags=("t\x1b[2J", "u\u202e"), started_at=now, ended_at=now, score=0.5,
                   verdict=f"passed{CLIPBOARD}", answer=f"x{CLIPBOARD}",
                   cases=[{"name": ESC_TITLE, "message": CLIPBOARD}])


def test_a_hostile_history_is_shown_escaped(hostile):
    with open_store() as store:
        store.insert_attempt(hostile_attempt())
    for args in (["history"], ["history", "--json"], ["report"], ["report", "--json"], [],
                 ["export"], ["export", "--format", "json"]):
        r = run_drill(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert_clean(r, " ".join(args) or "dashboard")
    exported = json.loads(run_drill("export").stdout)
    assert exported["attempts"][0]["answer"] == f"x{CLIPBOARD}"  # escaped in JSON, the same value


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_csv_export_escapes_on_a_terminal_only():
    from drill.commands.export import export

    with open_store() as store:
        store.insert_attempt(hostile_attempt())
    tty, pipe = _Tty(), io.StringIO()
    export("csv", None, stdout=tty)
    export("csv", None, stdout=pipe)
    assert RAW.search(tty.getvalue()) is None and "\\x1b]52;c;" in tty.getvalue()
    assert CLIPBOARD in pipe.getvalue()  # into a file or a pipe, CSV keeps what was recorded


def test_warnings_and_errors_are_terminal_safe(capsys):
    from drill import ui

    ui.warn(f"pack {ESC_TITLE} [/bold]")
    ui.error(f"no question '{CLIPBOARD}'", "detail \x9b2J [red]")
    err = capsys.readouterr().err
    assert RAW.search(err) is None
    assert "[/bold]" in err and "[red]" in err


def test_pack_warnings_are_capped_per_file_whatever_their_source(capsys):
    from drill import ui
    from drill.errors import PackProblem

    ui.warn_problems([PackProblem("a.yaml", f"unknown key 'k{i}'", i + 1, 1) for i in range(500)]
                     + [PackProblem("b.yaml", "pack id 'x' is already taken")])
    err = capsys.readouterr().err
    assert err.count("a.yaml:") == 22 and "… and 479 more problem(s) not shown" in err
    assert "b.yaml: pack id 'x' is already taken" in err
