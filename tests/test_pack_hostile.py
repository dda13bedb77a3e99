"""One bad pack file never takes drill down: hostile YAML values, recursive aliases, alias
bombs, floods of problems and rich markup are each refused or shown, located, in bounded
time; a seeded fuzz of the `drill packs new` template finds no traceback and no hang."""

from __future__ import annotations

import random
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from drill.commands.packs import validate
from drill.paths import PACKAGE_DIR
from tests.conftest import run_drill

TEMPLATE = (PACKAGE_DIR / "templates" / "new_pack.yaml").read_text(encoding="utf-8")


@contextmanager
def within(seconds: float, what: str):
    """Fail (rather than hang the suite) if the block takes longer than `seconds`."""

    def expired(*_):
        raise AssertionError(f"{what}: still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def template(pack_id: str = "t") -> str:
    return TEMPLATE.replace("__PACK__", pack_id)


def problems_of(path: Path) -> list[str]:
    with within(10, f"validate {path.name}"):
        res = validate([path])
    return [str(p) for p in res.problems]


BOMB = "\n".join(["laughs:", "  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]) + "\n"


@pytest.mark.parametrize("old, new, expected", [
    ("difficulty: easy", "difficulty: 2026-02-30", "cannot read '2026-02-30' as timestamp"),
    ("difficulty: easy", "difficulty: !!int easy", "cannot read 'easy' as int"),
    ("minutes: 10", "minutes: !!float abc", "cannot read 'abc' as float"),
    ("minutes: 10", "minutes: !!bool maybe", "cannot read 'maybe' as bool"),
    ("minutes: 10", "minutes: !!timestamp yesterday", "cannot read 'yesterday' as timestamp"),
    ("minutes: 10", "minutes: " + "9" * 5000, "the number is too long"),
    ("tags: [hashing, streaming]", "tags: &t [x, *t]", "recursive alias"),
    ('      - args: [["a", "b", "a"]]', '      - args: &a [["a", "b", "a"], *a]', "recursive alias"),
    ("tags: [hashing, streaming]", "tags: &m {<<: *m}", "recursive alias"),
    ('      - args: [["a", "b", "a"]]', "      - args: [*a8]", "aliases here repeat more than 10,000 values"),
], ids=["bad-date", "int-word", "float-word", "bool-word", "bad-timestamp", "huge-int",
        "recursive-tags", "recursive-args", "recursive-merge", "alias-bomb-in-args"])
def test_hostile_values_are_located_problems(tmp_path, old, new, expected):
    text = template().replace(old, new, 1)
    if "*a8" in new:
        text = BOMB + text
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    t0 = time.monotonic()
    got = problems_of(path)
    assert time.monotonic() - t0 < 3
    assert len(got) == 1 and expected in got[0], got
    line = text[:text.index(new)].count("\n") + 1
    assert got[0].startswith(f"{path}:") and got[0].split(":")[1].isdigit(), got
    if "*a8" not in new:
        assert int(got[0].split(":")[1]) == line, got


def test_aliases_within_the_budget_still_work(tmp_path):
    text = template().replace("tags: [hashing, streaming]", "tags: &shared [hashing, streaming]", 1)
    text = text.replace("tags: [aggregation]", "tags: *shared", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == []


def test_a_billion_laughs_is_refused_quickly_everywhere(tmp_path, drill_home):
    text = BOMB + template("bomb").replace('      - args: [["a", "b", "a"]]', "      - args: [*a8]", 1)
    (drill_home / "packs").mkdir(parents=True)
    (drill_home / "packs" / "bomb.yaml").write_text(text, encoding="utf-8")
    answer = tmp_path / "a.py"
    answer.write_text("def dedupe(ids):\n    return list(dict.fromkeys(ids))\n")
    t0 = time.monotonic()
    for args, codes in ((["packs", "validate", str(drill_home / "packs")], (1,)), (["list"], (0,)),
                        (["report"], (0,)), (["show", "bomb/dedupe-events"], (2,)),
                        (["check", "bomb/dedupe-events", str(answer)], (2,)),
                        (["packs", "audit", str(drill_home / "packs")], (1,))):
        r = run_drill(*args, timeout=60)
        assert r.returncode in codes, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "aliases here repeat" in r.stdout + r.stderr, (args, r.stderr)
    assert time.monotonic() - t0 < 30


def test_a_flood_of_unknown_keys_is_capped_and_fast(tmp_path, drill_home):
    extra = "".join(f"    unknown_key_{i}: {i}\n" for i in range(40_000))
    text = template("flood").replace("    function: dedupe\n", "    function: dedupe\n" + extra, 1)
    assert len(text) > 700_000
    path = tmp_path / "flood.yaml"
    path.write_text(text, encoding="utf-8")
    t0 = time.monotonic()
    r = run_drill("packs", "validate", str(path), timeout=60)
    assert time.monotonic() - t0 < 15  # was 108 s: locating each problem rescanned the mapping
    lines = r.stdout.splitlines()
    assert r.returncode == 1 and len(lines) == 21, lines[:3]
    assert lines[0] == f"{path}:21:5: unknown key 'unknown_key_0'"
    assert "39,980 more problem(s) not shown" in lines[-1]
    assert "40,000 problem(s)" in r.stderr
    (drill_home / "packs").mkdir(parents=True)
    path.rename(drill_home / "packs" / "flood.yaml")
    t0 = time.monotonic()
    r = run_drill("list", timeout=60)
    assert time.monotonic() - t0 < 15 and r.returncode == 0
    assert r.stderr.count("warning:") == 21


def test_markup_in_pack_text_is_shown_literally(tmp_path):
    text = template().replace("title: Deduplicate replayed events", "title: 'Dedupe [/bold] events [red]'", 1)
    text = text.replace('expected: ["a", "b"]', 'expected: ["[/]", "b"]', 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == []
    r = run_drill("show", "t/dedupe-events", "--pack", str(path))
    assert r.returncode == 0, r.stderr
    assert "Dedupe [/bold] events [red]" in r.stdout and '"[/]"' in r.stdout


def test_the_template_validates_without_libyaml(tmp_path, monkeypatch):
    from drill.packs import yamlsafe

    path = tmp_path / "t.yaml"
    path.write_text(template(), encoding="utf-8")
    monkeypatch.setattr(yamlsafe, "USE_PURE", True)
    assert problems_of(path) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(BOMB + template().replace("tags: [hashing, streaming]", "tags: *a8"), encoding="utf-8")
    assert "aliases here repeat" in problems_of(bad)[0]


def test_an_empty_pack_file_is_located_like_any_problem(tmp_path):
    for text in ("", "\n\n", "# only a comment\n"):
        path = tmp_path / "empty.yaml"
        path.write_text(text, encoding="utf-8")
        assert problems_of(path) == [f"{path}:1:1: empty file: a pack needs pack, title, format and questions"]


# ---------------------------------------------------------------- fuzz

HOSTILE_VALUES = [
    "2026-02-30", "!!int easy", "!!float abc", "!!bool maybe", "!!timestamp 2026-13-45T99", "9" * 4400,
    "&t [x, *t]", "[/bold]", "*nowhere", "{a: 1, a: 2}", "!!binary '!!'", "!!python/object:os.system x",
    "~", ".nan", "-.inf", "0x", "!!set {a, b}", "!!omap [a]", "[[[[[[[[[[[[1]]]]]]]]]]]]", "\"\\e]52;c;eA==\\a\"",
    "&m {<<: *m}", "!!str", "'", "\"", "|", ">-", "- - -", "? [a]", "!!null x", "1e999", "-0", "[*a0]",
]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        i = rng.randrange(len(lines))
        if op == 0 and ":" in lines[i]:  # a hostile value for a key
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {rng.choice(HOSTILE_VALUES)}"
        elif op == 1 and len(lines) > 2:
            del lines[i]
        elif op == 2:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 3:
            lines[i] = " " * rng.randint(0, 6) + lines[i].lstrip()
        elif op == 4 and lines[i]:
            j = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + chr(rng.randrange(32, 127)) + lines[i][j + 1:]
        elif op == 5:
            lines.insert(i, rng.choice(["x0: &a0 [1, 2, 3]", BOMB.rstrip(), "<<: *a0", "&a0 x: 1"]))
        else:
            lines = lines[: rng.randint(1, len(lines))]
    return "\n".join(lines)


MUTANTS = 400


def test_fuzzed_templates_never_crash_or_hang(tmp_path, drill_home):
    rng = random.Random(20261201)
    folder = drill_home / "packs"
    folder.mkdir(parents=True)
    slowest = 0.0
    for n in range(MUTANTS):
        path = folder / f"m{n:03d}.yaml"
        path.write_text(mutate(template(f"m{n:03d}"), rng), encoding="utf-8")
        t0 = time.monotonic()
        with within(5, f"mutant {path.name}"):
            res = validate([path])  # any exception but PackInvalid escapes validate and fails here
        slowest = max(slowest, time.monotonic() - t0)
        assert all(str(p).startswith(str(path)) for p in res.problems)
    assert slowest < 2, slowest
    r = run_drill("packs", "validate", str(folder), timeout=120)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr[-2000:]
    r = run_drill("list", timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    r = run_drill("report", timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]


def test_a_schema_that_never_finishes_loading_is_a_problem_not_a_hang(tmp_path):
    forever = ("CREATE TABLE logins (account_id INTEGER, ok INTEGER, at TEXT); CREATE TABLE x AS "
               "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r;")
    huge = ("CREATE TABLE logins (account_id INTEGER, ok INTEGER, at TEXT); CREATE TABLE x AS "
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 100000000) "
            "SELECT zeroblob(4000) FROM r;")
    # An endless CTE is stopped by whichever bound it reaches first on this machine.
    for schema, why in ((forever, ("takes longer than 2 s", "builds more than 64 MB")),
                        (huge, ("builds more than 64 MB",))):
        text = template().replace("CREATE TABLE logins (account_id INTEGER, ok INTEGER, at TEXT);", schema, 1)
        path = tmp_path / "p.yaml"
        path.write_text(text, encoding="utf-8")
        t0 = time.monotonic()
        got = problems_of(path)
        assert time.monotonic() - t0 < 8
        assert len(got) == 1 and "schema does not load in SQLite" in got[0], got
        assert any(w in got[0] for w in why), got
