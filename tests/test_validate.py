"""`drill packs validate`: every problem, located as FILE:LINE:COL, exit 1, no traceback."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from drill.paths import PACKAGE_DIR

GOOD_OPEN = """\
  - id: q1
    round: ml-modeling
    title: A question
    prompt: Explain it.
    rubric:
      - point: first point
      - point: second point
      - point: third point
    model_answer: The answer.
"""


def write(tmp_path: Path, body: str, name: str = "pack.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def pack(questions: str, head: str = "pack: demo\ntitle: Demo\nformat: 1\nquestions:\n") -> str:
    return head + questions


def validate(cli, *paths: Path):
    code, out, err = cli("packs", "validate", *map(str, paths))
    assert "Traceback" not in out + err
    return code, out.strip().splitlines(), err


def test_template_pack_is_valid(cli, tmp_path):
    target = tmp_path / "mine.yaml"
    code, _out, _ = cli("packs", "new", str(target))
    assert code == 0 and target.exists()
    code, lines, err = validate(cli, target)
    assert code == 0, lines
    assert "5 question(s): valid" in err
    # Scaffolding again must not overwrite what the user wrote.
    code, _, err = cli("packs", "new", str(target))
    assert code == 2 and "already exists" in err


def test_valid_pack_passes(cli, tmp_path):
    p = write(tmp_path, pack(GOOD_OPEN))
    code, lines, _ = validate(cli, p)
    assert code == 0 and lines == []


@pytest.mark.parametrize(
    "body, expected",
    [
        ("pack: demo\ntitle: [unclosed\n", "started at line 2, column 8"),
        ("pack: demo\n  title: x\n", ":2:8: YAML syntax error: mapping values are not allowed"),
        ("- just\n- a list\n", ":1:1: a pack must be a mapping"),
        ("pack: demo\nformat: 1\nquestions: []\n", "missing required key 'title'"),
        (pack(GOOD_OPEN.replace("    title: A question", "    titel: A question")), ":7:5: unknown key 'titel' (did you mean 'title'?)"),
        (pack(GOOD_OPEN.replace("title: A question", "title: A question\n    minutes: soon")), "'minutes': Input should be a valid number"),
        (pack(GOOD_OPEN.replace("id: q1", "id: Q 1")), ":5:9: 'Q 1' is not a slug"),
        (pack(GOOD_OPEN + GOOD_OPEN), "duplicate question id 'q1'"),
        (pack(GOOD_OPEN.replace("      - point: third point\n", "")), "'rubric' needs at least 3 item(s), has 2"),
        (pack(GOOD_OPEN.replace("round: ml-modeling", "round: ml-modeling\n    kind: essay")), "kind must be one of code, sql, open, choice, numeric"),
        ("pack: demo\ntitle: D\nformat: 2\nquestions: []\n", "'format'"),
    ],
    ids=["yaml-unclosed", "yaml-syntax", "top-level-list", "missing-key", "unknown-key", "wrong-type", "bad-slug",
         "duplicate-id", "short-rubric", "bad-kind", "wrong-format"],
)
def test_bad_packs(cli, tmp_path, body, expected):
    p = write(tmp_path, body)
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(str(p)) for line in lines)


def test_code_question_without_tests(cli, tmp_path):
    p = write(tmp_path, pack("""\
  - id: c
    kind: code
    round: coding
    title: C
    prompt: p
    function: f
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert lines == [f"{p}:5:5: a code question needs at least one hidden test in 'tests' or 'tests_file'"]


def test_choice_out_of_range_and_missing_solution_reported_together(cli, tmp_path):
    p = write(tmp_path, pack("""\
  - id: ch
    kind: choice
    round: stats
    title: C
    prompt: p
    choices: [a, b]
    answer: 2
  - id: c
    kind: code
    round: coding
    title: C
    prompt: p
    function: f
    tests: [{args: [1], expected: 1}]
    solution: solutions/nope.py
  - id: broken
    round: stats
    prompt: no title here
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert f"{p}:11:13: answer index 2 is out of range: there are 2 choices (0-1)" in lines
    assert f"{p}:19:15: solution file 'solutions/nope.py' does not exist" in lines
    assert any("missing required key 'title'" in ln for ln in lines)


def test_class_case_shape(cli, tmp_path):
    p = write(tmp_path, pack("""\
  - id: lru
    kind: code
    round: coding
    title: LRU
    prompt: p
    class: LRU
    tests:
      - calls: [[get, [1]]]
        expected: [null]
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert any("the first call must be __init__" in ln for ln in lines)


def test_tests_file_checked(cli, tmp_path):
    (tmp_path / "big.json").write_text(json.dumps([{"args": [1]}]))
    p = write(tmp_path, pack("""\
  - id: c
    kind: code
    round: coding
    title: C
    prompt: p
    function: f
    tests_file: big.json
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert any("expected" in ln and "big.json" in ln for ln in lines), lines


def test_duplicate_yaml_keys(cli, tmp_path):
    p = write(tmp_path, pack(GOOD_OPEN.replace("    prompt: Explain it.\n", "    prompt: Explain it.\n    prompt: Again.\n")))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert f"{p}:9:5: duplicate key 'prompt'" in lines


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "empty file"),
        (b"# only a comment\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"pack: demo\ntitle: caf\xe9\n", ":2:11: not UTF-8 text"),
    ],
    ids=["empty", "comments-only", "binary", "latin-1"],
)
def test_unreadable_files(cli, tmp_path, raw, expected):
    p = tmp_path / "pack.yaml"
    p.write_bytes(raw)
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert any(expected in ln for ln in lines), lines


def test_every_problem_in_every_file(cli, tmp_path):
    a = write(tmp_path, "pack: a\ntitle: [x\n", "a.yaml")
    b = write(tmp_path, pack(GOOD_OPEN.replace("id: q1", "id: Bad!")), "b.yaml")
    c = write(tmp_path, pack(GOOD_OPEN), "c.yaml")
    code, lines, err = validate(cli, a, b, c)
    assert code == 1
    assert any(ln.startswith(f"{a}:") for ln in lines)
    assert any(ln.startswith(f"{b}:") for ln in lines)
    assert not any(ln.startswith(f"{c}:") for ln in lines)
    assert "3 file(s)" in err


def test_missing_path_is_input_error(cli, tmp_path):
    code, lines, _ = validate(cli, tmp_path / "nope.yaml")
    assert code == 2
    assert lines == [f"{tmp_path / 'nope.yaml'}: no such file or folder"]


def test_json_output(cli, tmp_path):
    p = write(tmp_path, pack(GOOD_OPEN.replace("id: q1", "id: Bad!")))
    code, out, _ = cli("packs", "validate", str(p), "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["problems"][0]["line"] == 5 and "slug" in data["problems"][0]["message"]


def test_builtin_packs_validate(cli):
    questions = PACKAGE_DIR.parent / "questions"
    code, lines, _ = validate(cli, questions)
    assert code == 0, "\n".join(lines[:20])


def test_schema_is_json_schema_describing_fields(cli):
    code, out, _ = cli("packs", "schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["required"]) == {"pack", "title", "format", "questions"}
    defs = schema["$defs"]
    assert "class" in defs["CodeQuestion"]["properties"]
    assert "schema" in defs["SqlQuestion"]["properties"]
    # Field docstrings become descriptions, so editors can show them.
    assert defs["RubricPoint"]["properties"]["must"]["description"].startswith("A point a real interviewer")
    assert defs["CodeQuestion"]["additionalProperties"] is False


def test_docs_example_validates_and_every_field_is_documented(cli, tmp_path):
    import re

    from drill.packs import model

    doc = (PACKAGE_DIR.parent / "docs" / "pack-format.md").read_text(encoding="utf-8")
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", doc, re.S).group(1)
    p = tmp_path / "example.yaml"
    p.write_text(example, encoding="utf-8")
    code, lines, _ = validate(cli, p)
    assert code == 0, lines
    for m in (model.Pack, model.CodeQuestion, model.SqlQuestion, model.OpenQuestion, model.ChoiceQuestion,
              model.NumericQuestion, model.CodeCase, model.SqlCase, model.RubricPoint, model.Compare, model.Limits,
              model.CodePart, model.Followup):
        for name, field in m.model_fields.items():
            assert f"`{field.alias or name}`" in doc, f"{m.__name__}.{name} is not documented"


def test_docs_numpy_and_pandas_examples_validate_and_their_answers_pass(cli, tmp_path):
    import re

    from drill.judge.code import judge_code
    from drill.packs.catalog import load_catalog

    doc = (PACKAGE_DIR.parent / "docs" / "pack-format.md").read_text(encoding="utf-8")
    found = re.findall(r"### A (numpy|pandas) example\n.*?```yaml\n(.*?)```.*?```python\n(.*?)```", doc, re.S)
    assert [kind for kind, _, _ in found] == ["numpy", "pandas"]
    for kind, pack_text, answer in found:
        p = tmp_path / f"{kind}.yaml"
        p.write_text(pack_text, encoding="utf-8")
        code, lines, _ = validate(cli, p)
        assert code == 0, lines
        cat = load_catalog([p])
        (question,) = [s for s in cat.questions if s.path == str(p)]
        result = judge_code(cat.load(question.uid), answer, sandbox="none")
        assert result.verdict == "passed", result.to_json()
        # And the reference is not a formality: breaking it fails.
        broken = answer.replace('closed="left"', 'closed="right"').replace("x.std(axis=0)", "x.std(axis=0, ddof=1)")
        assert broken != answer
        assert judge_code(cat.load(question.uid), broken, sandbox="none").verdict == "failed"


def test_arguments_that_cannot_be_built_are_located(cli, tmp_path):
    p = write(tmp_path, pack("""\
  - id: feat
    kind: code
    round: coding
    title: T
    prompt: p
    function: f
    requires: [pandas]
    arguments:
      events: {type: dataframe, columns: {account_id: int64, ts: "datetime64[ns]"}}
      xs: {type: array, dtype: int64}
    returns: {type: dataframe}
    examples:
      - args:
          - - {account_id: 1, ts: "2024-01-01T00:00:00"}
            - {account_id: 1.5, ts: "2024-01-02T00:00:00"}
        expected: {columns: [a, b], data: [[1, 2], [3]]}
    tests:
      - args: [{account_id: [1], ts: ["2024-02-30"]}, [1]]
        expected: {columns: [a], data: []}
      - args: [[], [1, null]]
        expected: {columns: [a], data: []}
  - id: bad-spec
    kind: code
    round: coding
    title: T
    prompt: p
    function: f
    arguments:
      xs: {type: series, columns: {a: int64}}
    tests: [{args: [[1]], expected: 1}]
  - id: no-pandas
    kind: code
    round: coding
    title: T
    prompt: p
    function: f
    arguments:
      xs: {type: series}
    tests: [{args: [[1]], expected: 1}]
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    text = "\n".join(lines)
    assert f"{p}:19:28: argument 'events': the number 1.5 in an int64 series" in text
    assert f"{p}:20:19: row 1 of the dataframe result must be a list of 2 values, one per column" in text
    assert f"{p}:22:39: argument 'events': '2024-02-30' is not a valid date and time" in text
    assert f"{p}:24:24: argument 'xs': null in an int64 array" in text
    assert f"{p}:33:11: 'columns' is for dataframe arguments, not series" in text
    assert f"{p}:35:5: a question with series arguments or results needs 'pandas' in 'requires'" in text


def test_sql_schema_and_datasets_are_checked(cli, tmp_path):
    p = write(tmp_path, pack("""\
  - id: s
    kind: sql
    round: sql
    title: S
    prompt: p
    schema: "CREATE TABLE t (a INTEGER, b TEXT);"
    tests:
      - data: {t: [[1, "x"], [2]], nope: [[1]]}
        expected: [[1], [1, 2]]
  - id: broken-schema
    kind: sql
    round: sql
    title: S
    prompt: p
    schema: "CREATE TABLE t (a INTEGER"
    tests: [{data: {}, expected: []}]
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    text = "\n".join(lines)
    assert "table 't' has 2 columns; this row has 1 values" in text
    assert "no table 'nope' in the schema" in text
    assert "expected rows have different numbers of columns" in text
    assert "schema does not load in SQLite" in text


def test_tests_file_cases_are_built_too(cli, tmp_path):
    (tmp_path / "cases.json").write_text('[{"args": [[1, 2]], "expected": 3}, {"args": [[1, null]], "expected": 1}]')
    p = write(tmp_path, pack("""\
  - id: q
    kind: code
    round: coding
    title: T
    prompt: p
    function: f
    requires: [numpy]
    arguments:
      xs: {type: array, dtype: int64}
    tests_file: cases.json
"""))
    code, lines, _ = validate(cli, p)
    assert code == 1
    assert lines[0] == f"{p}:14:17: cases.json case 2: argument 'xs': null in an int64 array: use float64 for missing values"
