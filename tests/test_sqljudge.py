"""The SQL judge: comparison rules, refusals of anything but one read-only SELECT, limits."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest

from drill.judge.verdict import STATUSES
from drill.packs.catalog import Loaded
from drill.packs.model import SqlQuestion
from drill.sql import judge as sqljudge
from drill.sql.run import Guard, load, open_db
from drill.sql.text import error_offset, split_statements

SCHEMA = """
CREATE TABLE transfers (id INTEGER PRIMARY KEY, account_id INTEGER, amount REAL, asset TEXT);
CREATE TABLE accounts (account_id INTEGER, country TEXT);
"""
ROWS = [[1, 10, 5.0, "BTC"], [2, 10, 7.5, "ETH"], [3, 11, 1.0, "BTC"]]


def make(examples=None, tests=None, **extra) -> Loaded:
    spec = {
        "id": "q", "round": "sql", "title": "t", "prompt": "p", "kind": "sql", "schema": SCHEMA,
        "examples": examples if examples is not None else [
            {"data": {"transfers": ROWS}, "expected": [[10, 12.5], [11, 1.0]]}],
        "tests": tests if tests is not None else [
            {"name": "empty", "data": {"transfers": []}, "expected": []},
            {"data": {"transfers": [[1, 12, 3, "BTC"], [2, 12, 4, "BTC"]]}, "expected": [[12, 7]]},
        ],
        **extra,
    }
    q = SqlQuestion.model_validate(spec)
    return Loaded("t/q", "t", q, Path("/nonexistent/pack.yaml"), list(q.tests))


GOOD = "SELECT account_id, SUM(amount) FROM transfers GROUP BY account_id"


def statuses(res) -> list[str]:
    return [c.status for c in res.cases]


# ------------------------------------------------------------------ judging
def test_right_answer_passes_every_case_with_json_shape():
    res = sqljudge.judge_sql(make(), GOOD + ";  -- trailing comment\n")
    assert statuses(res) == ["passed"] * 3
    assert res.verdict == "passed" and res.sandbox == "sqlite" and res.error is None
    js = res.to_json()
    assert js["sandbox"] == "sqlite" and js["passed"] == 3 and js["total"] == 3
    assert [c["name"] for c in js["cases"]] == ["example-1", "empty", "test-2"]
    assert all(c["status"] in STATUSES for c in js["cases"])


def test_visible_cases_carry_input_expected_actual_hidden_ones_do_not():
    res = sqljudge.judge_sql(make(), "SELECT account_id, SUM(amount) + 1 FROM transfers GROUP BY account_id")
    ex, _empty, hidden = res.cases
    assert ex.status == "wrong_answer"
    assert ex.input == {"transfers": ROWS}
    assert ex.expected == [[10, 12.5], [11, 1.0]]
    assert sorted(ex.actual) == [[10, 13.5], [11, 2.0]]
    assert "missing [10, 12.5]" in ex.message
    assert hidden.status == "wrong_answer"
    assert hidden.input is hidden.expected is hidden.actual is None
    assert "12" not in hidden.message and "7" not in hidden.message  # no hidden data leaks


def test_examples_only_skips_hidden_cases():
    res = sqljudge.judge_sql(make(), GOOD, examples_only=True)
    assert [c.name for c in res.cases] == ["example-1"]


def test_rows_compare_as_multiset_unless_ordered():
    reversed_q = GOOD + " ORDER BY account_id DESC"
    assert sqljudge.judge_sql(make(), reversed_q).verdict == "passed"
    ordered = make(ordered=True)
    res = sqljudge.judge_sql(ordered, reversed_q)
    assert res.cases[0].status == "wrong_answer"
    assert "out of order" in res.cases[0].message
    assert sqljudge.judge_sql(ordered, GOOD + " ORDER BY account_id").verdict == "passed"


def test_multiset_counts_duplicates():
    loaded = make(tests=[{"data": {"transfers": ROWS}, "expected": [["BTC"], ["BTC"], ["ETH"]]}],
                  examples=[])
    assert sqljudge.judge_sql(loaded, "SELECT asset FROM transfers").verdict == "passed"
    res = sqljudge.judge_sql(loaded, "SELECT DISTINCT asset FROM transfers")
    assert res.cases[0].message == "wrong rows: expected 3 row(s), got 2"


@pytest.mark.parametrize(("expr", "ok"), [
    ("3.0", True),               # int 3 expected, float returned
    ("0.1 + 0.2 + 2.7", True),   # float noise within tolerance
    ("3.01", False),
    ("'3'", False),              # text is not a number
    ("NULL", False),
])
def test_number_tolerance_and_types(expr, ok):
    loaded = make(examples=[], tests=[{"data": {}, "expected": [[3, None, "Ab"]]}])
    res = sqljudge.judge_sql(loaded, f"SELECT {expr}, NULL, 'Ab'")
    assert (res.verdict == "passed") is ok


def test_text_compares_exactly_and_null_only_matches_null():
    loaded = make(examples=[], tests=[{"data": {}, "expected": [[3, None, "Ab"]]}])
    assert sqljudge.judge_sql(loaded, "SELECT 3, NULL, 'ab'").verdict == "failed"
    assert sqljudge.judge_sql(loaded, "SELECT 3, NULL, 'Ab '").verdict == "failed"
    assert sqljudge.judge_sql(loaded, "SELECT 3, 0, 'Ab'").verdict == "failed"


def test_column_count_is_checked_even_where_no_rows_are_expected():
    res = sqljudge.judge_sql(make(), "SELECT account_id FROM transfers GROUP BY account_id")
    assert statuses(res) == ["wrong_answer"] * 3
    assert res.cases[1].message == "the query returns 1 column(s); expected 2"


def test_yaml_dates_load_as_iso_text():
    loaded = make(examples=[], tests=[{
        "data": {"accounts": [[1, dt.datetime(2026, 3, 1, 12, 0)], [2, dt.date(2026, 3, 2)]]},
        "expected": [[1, "2026-03-01 12:00:00"], [2, "2026-03-02"]]}])
    assert sqljudge.judge_sql(loaded, "SELECT account_id, country FROM accounts").verdict == "passed"


# ------------------------------------------------------------------ refusals
HOSTILE = [
    ("INSERT INTO transfers VALUES (9, 1, 1, 'BTC')", "starts with INSERT"),
    ("UPDATE transfers SET amount = 0", "starts with UPDATE"),
    ("DELETE FROM transfers", "starts with DELETE"),
    ("DROP TABLE transfers", "starts with DROP"),
    ("CREATE TABLE x (a)", "starts with CREATE"),
    ("ATTACH DATABASE '/tmp/x' AS x", "starts with ATTACH"),
    ("PRAGMA writable_schema = ON", "starts with PRAGMA"),
    ("VACUUM", "starts with VACUUM"),
    ("SELECT load_extension('/tmp/evil')", "calls load_extension()"),
    ("SELECT 1; DROP TABLE transfers", "holds 2 statements"),
    ("select 1;\n-- then\ndelete from transfers;", "holds 2 statements"),
    ("WITH x AS (SELECT 1) INSERT INTO transfers SELECT 9, 1, 1, 'BTC'", "tries INSERT (transfers)"),
    ("WITH x AS (SELECT 1) DELETE FROM transfers", "tries DELETE (transfers)"),
]


@pytest.mark.parametrize(("query", "why"), HOSTILE)
def test_anything_but_one_read_only_select_is_refused(query, why):
    res = sqljudge.judge_sql(make(), query)
    assert statuses(res) == ["runtime_error"] * 3
    assert res.error and res.error.startswith("refused: ") and why in res.error
    assert all(c.message == res.error for c in res.cases)
    assert res.verdict == "failed"


@pytest.mark.parametrize(("stmt", "action"), [
    ("INSERT INTO transfers VALUES (9, 1, 1, 'BTC')", "INSERT"),
    ("UPDATE transfers SET amount = 0", "UPDATE"),
    ("DELETE FROM transfers", "DELETE"),
    ("DROP TABLE transfers", "schema table (sqlite_master)"),
    ("CREATE TABLE x (a)", "schema table (sqlite_master)"),
    ("CREATE TEMP TABLE x (a)", "schema table (sqlite_temp_master)"),
    ("ATTACH DATABASE '/tmp/x' AS x", "ATTACH"),
    ("PRAGMA writable_schema = ON", "PRAGMA"),
    ("SELECT load_extension('/tmp/evil')", "load_extension"),
    ("BEGIN", "TRANSACTION"),
])
def test_authorizer_denies_without_the_text_checks(stmt, action):
    # The text checks only word the refusal; the authorizer is what stops the statement.
    conn = open_db(None)  # a heap limit would bind the whole test process
    load(conn, SCHEMA, {"transfers": ROWS})
    guard = Guard()
    conn.set_authorizer(guard)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        conn.execute(stmt)
    assert action in (guard.denied or "")
    assert conn.execute("SELECT count(*) FROM transfers").fetchone() == (3,)
    conn.close()


def test_query_only_blocks_writes_even_without_the_authorizer():
    conn = open_db(None)  # a heap limit would bind the whole test process
    load(conn, SCHEMA, {"transfers": ROWS})
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM transfers")
    conn.close()


def test_semicolons_in_strings_and_comments_do_not_split():
    assert split_statements("SELECT ';' AS x -- ;\n/* ; */ ;  -- end") == [(0, 29)]
    assert len(split_statements("SELECT 1; SELECT 2")) == 2
    loaded = make(examples=[], tests=[{"data": {}, "expected": [["a;b"]]}])
    assert sqljudge.judge_sql(loaded, "SELECT 'a;b' /* ; */;").verdict == "passed"


# ------------------------------------------------------------------ compile errors
def test_syntax_error_reports_sqlite_message_and_position():
    res = sqljudge.judge_sql(make(), "SELECT account_id,\n  SUM(amount)\nFROM transfers GROUP account_id")
    assert statuses(res) == ["syntax_error"] * 3
    assert res.error == 'near "account_id": syntax error (line 3, column 22)'


def test_syntax_error_position_picks_the_failing_occurrence():
    sql = "SELECT 1 AS a, 2 AS b, 3 AS c FROM transfers WHERE a a"
    res = sqljudge.judge_sql(make(), sql)
    assert res.error == 'near "a": syntax error (line 1, column 54)'


def test_incomplete_and_unknown_names():
    assert sqljudge.judge_sql(make(), "SELECT account_id FROM").error == \
        "incomplete input (line 1, column 23)"
    res = sqljudge.judge_sql(make(), "SELECT acount_id, 1 FROM transfers")
    assert statuses(res) == ["syntax_error"] * 3
    assert res.error == "no such column: acount_id (line 1, column 8)"
    assert error_offset("SELECT x FROM [my t]", "no such table: my t", None) == 14


def test_empty_answer():
    res = sqljudge.judge_sql(make(), "  -- nothing yet\n")
    assert statuses(res) == ["syntax_error"] * 3
    assert res.error == "the answer holds no SQL statement"


# ------------------------------------------------------------------ limits
def fast(**limits) -> Loaded:
    return make(limits={"seconds": 0.3, **limits})


def test_runaway_recursive_cte_hits_the_time_limit():
    start = time.monotonic()
    res = sqljudge.judge_sql(fast(), "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                                     "SELECT count(*), 1 FROM r")
    assert statuses(res) == ["time_limit"] * 3
    assert res.cases[0].message == "took longer than 0.3 s"
    assert time.monotonic() - start < 5


def test_exploding_cross_join_hits_the_row_cap():
    q = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 1000) "
         "SELECT a.n, b.n FROM r a, r b")
    res = sqljudge.judge_sql(make(), q)
    assert statuses(res) == ["output_limit"] * 3
    assert "100,000 rows" in res.cases[0].message


def test_sort_that_never_yields_is_killed_and_later_cases_still_run(monkeypatch):
    # The final sort of a big ORDER BY ignores the progress handler: only the kill bounds it.
    monkeypatch.setattr(sqljudge, "KILL_GRACE", 0.2)
    q = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 1500) "
         "SELECT a.n, b.n FROM r a, r b, (SELECT count(*) AS k FROM transfers) "
         "WHERE k = 3 ORDER BY random()")
    loaded = make(limits={"seconds": 1}, tests=[{"data": {"transfers": []}, "expected": [[1, 2]]}])
    start = time.monotonic()
    res = sqljudge.judge_sql(loaded, q)
    elapsed = time.monotonic() - start
    assert statuses(res) == ["time_limit", "wrong_answer"]
    # Stopped by the kill in the sort, or by the progress handler while the rows are made
    # (a slower machine gets there first): either way the limit holds and case 2 still runs.
    assert res.cases[0].message in ("took longer than 1 s; stopped", "took longer than 1 s")
    assert elapsed < 5


@pytest.mark.parametrize("expr", ["zeroblob(50000000)", "randomblob(50000000)",
                                  "group_concat(printf('%.*c', 1000, 'x'))"])
def test_huge_values_hit_the_size_cap(expr):
    q = (f"SELECT {expr}, 1 FROM (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
         f"LIMIT 10000) SELECT n FROM r)")
    res = sqljudge.judge_sql(make(), q)
    assert statuses(res) == ["memory_limit"] * 3
    assert "over 4 MB" in res.cases[0].message


def test_printf_padding_is_capped_not_allocated():
    # printf past the length cap returns NULL; a far larger width costs time, which the
    # kill bounds like any other step that ignores the progress handler.
    res = sqljudge.judge_sql(make(tests=[{"data": {}, "expected": []}]),
                             "SELECT printf('%.*c', 100000000, 'x'), 1")
    assert statuses(res) == ["wrong_answer"] * 2
    assert res.cases[0].actual == [[None, 1]]


def test_heap_limit_gives_memory_limit():
    q = ("WITH RECURSIVE r(n, pad) AS (SELECT 1, randomblob(1000) UNION "
         "SELECT n + 1, randomblob(1000) FROM r) SELECT count(*), 1 FROM r")
    res = sqljudge.judge_sql(make(limits={"memory_mb": 32, "seconds": 5}), q)
    assert statuses(res) == ["memory_limit"] * 3


# ------------------------------------------------------------------ broken questions, broken runner
def test_broken_question_data_is_an_internal_error():
    bad_schema = make(schema="CREATE TABLE (")
    assert statuses(sqljudge.judge_sql(bad_schema, GOOD)) == ["internal_error"] * 3
    bad_rows = make(tests=[{"data": {"transfers": [[1, 2]]}, "expected": []}])
    res = sqljudge.judge_sql(bad_rows, GOOD)
    assert statuses(res) == ["passed", "internal_error"]
    assert "row 1 has 2 values; the schema has 4 columns" in res.cases[1].message
    no_table = make(tests=[{"data": {"nope": [[1]]}, "expected": []}])
    assert "which the schema lacks" in sqljudge.judge_sql(no_table, GOOD).cases[1].message


def test_a_runner_that_dies_gives_internal_error(tmp_path, monkeypatch):
    script = tmp_path / "dies.py"
    script.write_text("import sys\nsys.stdin.read()\nprint('{\"precheck\": null}', flush=True)\n"
                      "sys.exit('boom: runner fell over')\n")
    from drill.sql import child

    monkeypatch.setattr(child, "RUNNER", script)
    res = sqljudge.judge_sql(make(), GOOD)
    assert statuses(res) == ["internal_error"] * 3
    assert res.cases[0].message == "the SQL runner stopped: boom: runner fell over"



def test_reveal_opens_hidden_cases():
    res = sqljudge.judge_sql(make(), "SELECT account_id, SUM(amount) + 1 FROM transfers GROUP BY account_id",
                             reveal=True)
    hidden = res.cases[2]
    assert hidden.hidden and hidden.expected == [[12, 7]] and hidden.actual == [[12, 8]]
    assert hidden.message == "expected 1 row(s), got 1; missing [12, 7]; unexpected [12, 8.0]"


# ------------------------------------------------------------------ drill check, end to end
def write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "answer.sql"
    f.write_text(text, encoding="utf-8")
    return f


def net_flow_cases() -> int:
    """How many datasets sql/daily-net-flow has (examples and hidden), read from its pack."""
    from drill.packs.packfile import load_pack

    pack = load_pack(Path(__file__).resolve().parent.parent / "questions" / "sql.yaml")
    q = next(q for q in pack.questions if q.id == "daily-net-flow")
    return len(q.examples) + len(q.tests)


def test_drill_check_passes_the_reference(cli, tmp_path):
    sol = Path(__file__).resolve().parent.parent / "solutions" / "sql" / "daily-net-flow.sql"
    code, out, _ = cli("check", "sql/daily-net-flow", str(sol))
    assert code == 0, out
    n = net_flow_cases()
    assert f"passed: all {n} cases (sandbox: sqlite)" in out


def test_drill_check_json_for_a_wrong_answer(cli, tmp_path):
    import json

    f = write(tmp_path, "SELECT date(at), SUM(amount), 0, SUM(amount) FROM deposits GROUP BY 1")
    code, out, _ = cli("check", "sql/daily-net-flow", str(f), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["sandbox"] == "sqlite" and data["verdict"] == "failed" and data["total"] == net_flow_cases()
    by_name = {c["name"]: c["status"] for c in data["cases"]}
    assert by_name["empty"] == "passed" and by_name["fan-out-trap"] == "wrong_answer"


def test_drill_check_shows_visible_rows_side_by_side(cli, tmp_path):
    f = write(tmp_path, "SELECT date(at), SUM(amount), 0, SUM(amount) FROM deposits GROUP BY 1")
    code, out, _ = cli("check", "sql/daily-net-flow", str(f), "--examples")
    assert code == 1
    assert "expected" in out and "actual" in out and "2026-03-02" in out  # the missing day
    assert "0 of 2 cases passed" in out


@pytest.mark.parametrize("text", ["SELECT 1; DROP TABLE deposits;", "ATTACH DATABASE '/tmp/x' AS x",
                                  "SELECT load_extension('/tmp/evil.so')"])
def test_drill_check_refuses_hostile_answers_with_exit_1(tmp_path, text):
    from tests.conftest import run_drill

    r = run_drill("check", "sql/daily-net-flow", str(write(tmp_path, text)))
    assert r.returncode == 1, r.stderr
    assert "refused:" in r.stdout and "Traceback" not in r.stdout + r.stderr


def test_drill_check_syntax_error_and_missing_file(cli, tmp_path):
    f = write(tmp_path, "SELECT day,\n  inflow\nFROM deposits WHERE")
    code, out, _ = cli("check", "sql/daily-net-flow", str(f))
    assert code == 1 and "syntax_error" in out and "incomplete input (line 3, column 20)" in out
    code, _out, err = cli("check", "sql/daily-net-flow", str(tmp_path / "nope.sql"))
    assert code == 2 and "no such file" in err


# ------------------------------------------------------------------ hostile text (issue 12, item 7)
def test_a_nul_character_is_a_located_syntax_error(tmp_path):
    from tests.conftest import run_drill

    for text, where in (("SELECT ';\x00';", "line 1, column 10"), ("SELECT 1\n  , 2\x00", "line 2, column 6")):
        res = sqljudge.judge_sql(make(), text)
        assert statuses(res) == ["syntax_error"] * 3
        assert res.error == f"the answer holds a NUL character ({where})"
    r = run_drill("check", "sql/daily-net-flow", str(write(tmp_path, "SELECT ';\x00';")))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "NUL character" in r.stdout


def test_a_misspelt_keyword_is_a_syntax_error_with_sqlites_message():
    res = sqljudge.judge_sql(make(), "SELEC account_id FROM transfers")
    assert statuses(res) == ["syntax_error"] * 3
    assert res.error == 'near "SELEC": syntax error (line 1, column 1)'
    res = sqljudge.judge_sql(make(), "-- my answer\n  selct account_id\nFROM transfers")
    assert res.error == 'near "selct": syntax error (line 2, column 3)'
    assert sqljudge.judge_sql(make(), "(SELECT 1)").error == 'near "(": syntax error (line 1, column 1)'
    # A real statement keyword is still refused, not judged.
    assert sqljudge.judge_sql(make(), "REPLACE INTO transfers VALUES (1, 1, 1, 'x')").error.startswith("refused: ")


def test_a_long_statement_with_a_syntax_error_is_quick():
    # 60,000 copies of the token SQLite names: finding which one failed used to compile a
    # prefix ending at each copy (11-16 s, then a time limit or an internal error).
    sql = "SELECT account_id FROM transfers WHERE account_id IN (" + ", ".join(["1"] * 60_000) + " 1)"
    assert len(sql) > 180_000
    for text in (sql, sql + ";"):
        t0 = time.monotonic()
        res = sqljudge.judge_sql(make(), text)
        assert time.monotonic() - t0 < 8
        assert statuses(res) == ["syntax_error"] * 3
        assert res.error == f'near "1": syntax error (line 1, column {len(sql) - 1})'


def test_many_semicolons_in_a_trigger_body_split_in_linear_time():
    body = "SELECT 1; " * 20_000
    t0 = time.monotonic()
    spans = split_statements(f"CREATE TRIGGER t AFTER INSERT ON x BEGIN {body} END; SELECT 2")
    assert time.monotonic() - t0 < 3 and len(spans) == 2
    res = sqljudge.judge_sql(make(), f"CREATE TRIGGER t AFTER INSERT ON transfers BEGIN {body} END")
    assert res.error == "refused: the answer must be one read-only SELECT, and it starts with CREATE"


def _split_by_complete_statement(sql: str) -> list[tuple[int, int]]:
    """The reference: split where sqlite3.complete_statement says a statement ends."""
    from drill.sql.text import tokenize

    spans, start, content = [], 0, False
    for tok in tokenize(sql):
        if tok.kind == "semi" and sqlite3.complete_statement(sql[start:tok.end]):
            if content:
                spans.append((start, tok.start))
            start, content = tok.end, False
        elif tok.significant:
            content = True
    if content:
        spans.append((start, len(sql)))
    return spans


def test_statement_splitting_agrees_with_sqlite_complete_statement():
    import random

    words = ["CREATE", "temp", "TEMPORARY", "TRIGGER", "trig", "BEGIN", "END", "EXPLAIN", "SELECT", "1",
             ";", ";", "'a;b'", '"x;"', "-- c;\n", "/* ; */", "[e;nd]", "end_x", "\n", "x'00'"]
    rng = random.Random(7)
    for _ in range(3000):
        sql = " ".join(rng.choice(words) for _ in range(rng.randint(0, 14)))
        assert split_statements(sql) == _split_by_complete_statement(sql), sql


def test_a_word_is_what_sqlite_takes_for_one_whatever_the_characters():
    """The tokenizer's word pattern names the ASCII characters a word cannot hold (the
    range it stands for is slow to compile): tokens as with the range, on every code point."""
    import re

    from drill.sql import text

    spelled = text._TOKEN.pattern
    new_word = spelled[spelled.index("(?P<word>"):spelled.index(")", spelled.index("(?P<word>")) + 1]
    old = re.compile(spelled.replace(new_word, r"(?P<word>[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*)"),
                     text._TOKEN.flags)
    assert old.pattern != spelled
    sample = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)
    for chunk in range(0, len(sample), 4096):
        piece = sample[chunk:chunk + 4096]
        for probe in (piece, "a" + piece, "1" + piece):
            assert [(m.lastgroup, m.span()) for m in text._TOKEN.finditer(probe)] == \
                [(m.lastgroup, m.span()) for m in old.finditer(probe)]
