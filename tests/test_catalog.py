"""Discovery of packs, the catalogue cache, and the list/show/rounds/packs commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from drill.packs import catalog

PACK = """\
pack: {pack}
title: {title}
format: 1
questions:
  - id: rolling
    kind: code
    round: coding
    title: Rolling sums
    difficulty: easy
    tags: [windows, features]
    minutes: 12
    prompt: |
      Return the **rolling** sum.
    function: rolling
    starter: "def rolling(xs):\\n    ...\\n"
    examples:
      - args: [[1, 2]]
        expected: [1, 3]
    tests:
      - name: secret-case
        args: [[777, 888]]
        expected: [777, 1665]
  - id: drift
    round: mlops
    title: Drift
    difficulty: hard
    tags: [monitoring]
    prompt: How do you watch for drift?
    rubric:
      - point: population stability index
        must: true
      - point: alert thresholds
      - point: retraining trigger
    model_answer: Track PSI per feature and alert above 0.25.
"""


def make_pack(folder: Path, pack: str = "mine", title: str = "Mine", name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / (name or f"{pack}.yaml")
    p.write_text(PACK.format(pack=pack, title=title), encoding="utf-8")
    return p


def uids(cli, *args: str) -> list[str]:
    code, out, err = cli("list", "--json", *args)
    assert code == 0, err
    return [q["uid"] for q in json.loads(out)]


def test_pack_option_env_and_home_folder(cli, tmp_path, drill_home, monkeypatch):
    a = make_pack(tmp_path / "a", "alpha")
    make_pack(tmp_path / "b", "beta")
    make_pack(drill_home / "packs", "gamma")
    monkeypatch.setenv("DRILL_PACKS", str(tmp_path / "b"))
    found = uids(cli, "--pack", str(a))
    for pack in ("alpha", "beta", "gamma"):
        assert f"{pack}/rolling" in found and f"{pack}/drift" in found


def test_list_json_shape_and_filters(cli, tmp_path):
    p = make_pack(tmp_path, "alpha")
    code, out, _ = cli("list", "--pack", str(p), "--round", "coding", "--json")
    rows = [r for r in json.loads(out) if r["uid"].startswith("alpha/")]
    assert rows == [{"uid": "alpha/rolling", "round": "coding", "kind": "code", "difficulty": "easy",
                     "tags": ["windows", "features"], "title": "Rolling sums", "minutes": 12,
                     "requires": [], "available": True}]
    assert [u for u in uids(cli, "--pack", str(p), "--tag", "monitoring") if u.startswith("alpha/")] == ["alpha/drift"]
    assert "alpha/drift" in uids(cli, "--pack", str(p), "--difficulty", "hard")
    code, _, err = cli("list", "--difficulty", "impossible")
    assert code == 2 and "difficulty must be one of" in err
    code, _, err = cli("list", "--round", "nonsense")
    assert code == 2 and "no round 'nonsense'" in err


def test_clashing_and_broken_user_packs_do_not_take_down_the_rest(cli, tmp_path):
    first = make_pack(tmp_path / "one", "same")
    second = make_pack(tmp_path / "two", "same")
    broken = tmp_path / "three" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("pack: broken\ntitle: [oops\n")
    code, out, err = cli("list", "--json", "--pack", str(first), "--pack", str(second), "--pack", str(broken))
    assert code == 0
    found = [q["uid"] for q in json.loads(out)]
    assert found.count("same/rolling") == 1
    assert f"pack id 'same' is already taken by {first}" in err.replace("\n", " ")
    assert "broken.yaml" in err and "YAML syntax error" in err


def test_missing_pack_path_is_input_error(cli, tmp_path):
    code, _, err = cli("list", "--pack", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err


def test_show_hides_hidden_tests_and_reveals_solution(cli, tmp_path):
    p = make_pack(tmp_path, "alpha")
    code, out, _ = cli("show", "alpha/rolling", "--pack", str(p))
    assert code == 0
    assert "Rolling sums" in out and "rolling" in out and "[1, 3]" in out
    assert "777" not in out and "secret-case" not in out
    code, out, _ = cli("show", "drift", "--pack", str(p), "--solution")
    assert code == 0 and "Track PSI per feature" in out and "must" in out
    code, _, err = cli("show", "alpha/nope", "--pack", str(p))
    assert code == 2 and "no question 'alpha/nope'" in err


def test_bare_id_ambiguous(cli, tmp_path):
    a = make_pack(tmp_path / "a", "alpha")
    b = make_pack(tmp_path / "b", "beta")
    code, _, err = cli("show", "drift", "--pack", str(a), "--pack", str(b))
    assert code == 2 and "ambiguous" in err and "alpha/drift" in err


def test_rounds_and_packs_list(cli, tmp_path):
    p = make_pack(tmp_path, "alpha")
    code, out, _ = cli("packs", "list", "--json", "--pack", str(p))
    assert code == 0
    entry = next(x for x in json.loads(out) if x["id"] == "alpha")
    assert entry == {"id": "alpha", "title": "Mine", "path": str(p), "questions": 2,
                     "rounds": {"coding": 1, "mlops": 1}}
    code, out, _ = cli("rounds", "--json", "--pack", str(p))
    rounds = {r["round"]: r["questions"] for r in json.loads(out)}
    assert rounds["coding"] >= 1 and rounds["mlops"] >= 1


class TestCache:
    def test_warm_cache_does_not_reparse(self, tmp_path, monkeypatch):
        p = make_pack(tmp_path, "alpha")
        cold = catalog.load_catalog([p])
        calls = []
        monkeypatch.setattr(catalog, "_summarise", lambda f: calls.append(f) or pytest.fail("re-parsed"))
        warm = catalog.load_catalog([p])
        assert [s.uid for s in warm.questions] == [s.uid for s in cold.questions]
        assert warm.find("alpha/rolling").tags == ("windows", "features")

    def test_changed_file_is_reread(self, tmp_path):
        p = make_pack(tmp_path, "alpha")
        catalog.load_catalog([p])
        p.write_text(p.read_text().replace("Rolling sums", "Rolling totals"))
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
        assert catalog.load_catalog([p]).find("alpha/rolling").title == "Rolling totals"

    def test_broken_file_problems_are_cached_too(self, tmp_path):
        p = tmp_path / "broken.yaml"
        p.write_text("pack: x\ntitle: [\n")
        assert catalog.load_catalog([p]).problems
        assert any("broken.yaml" in str(x) for x in catalog.load_catalog([p]).problems)

    @pytest.mark.parametrize("junk", [b"\x00garbage", b"[]", b'{"version": "0.1.0", "files": {"x": 1}}',
                                      b'{"version": "0.1.0", "files": {"%s": {"pack": {"id": 3}, "questions": [], "problems": [], "stat": null}}}'])
    def test_corrupt_cache_is_rebuilt(self, tmp_path, drill_home, junk):
        p = make_pack(tmp_path, "alpha")
        cache = drill_home / "cache" / catalog.CACHE_NAME
        cache.parent.mkdir(parents=True)
        cache.write_bytes(junk.replace(b"%s", str(p.resolve()).encode()))
        cat = catalog.load_catalog([p])
        assert "alpha/rolling" in [s.uid for s in cat.questions]
        assert json.loads(cache.read_text())["files"][str(p.resolve())]["pack"]["id"] == "alpha"

    def test_read_only_home_still_lists(self, tmp_path, monkeypatch):
        monkeypatch.setenv("DRILL_HOME", "/proc/drill-cannot-write-here")
        p = make_pack(tmp_path, "alpha")
        assert catalog.load_catalog([p]).find("alpha/drift")


def test_version_and_help(cli):
    from drill import __version__

    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"drill {__version__}"
    import typer.main

    from drill.cli import app

    group = typer.main.get_command(app)
    names = []

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            names.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(group, [])
    assert ["list"] in names and ["packs", "validate"] in names
    for path in names:
        code, out, _ = cli(*path, "--help")
        assert code == 0 and "Usage" in out
        cmd = group
        for part in path:
            cmd = cmd.commands[part]
        assert cmd.help, f"drill {' '.join(path)} has no help text"


def test_python_dash_m_and_no_traceback_on_errors(tmp_path):
    from tests.conftest import run_drill

    r = run_drill("--version")
    assert r.returncode == 0 and r.stdout.startswith("drill ")
    r = run_drill("show", "no-such-question")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "no question" in r.stderr
    r = run_drill("list", "--bogus-option")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cache_is_not_rewritten_when_nothing_changed(tmp_path, drill_home):
    a = make_pack(tmp_path / "a", "alpha")
    b = make_pack(tmp_path / "b", "beta")
    catalog.load_catalog([a])
    catalog.load_catalog([b])  # the cache now holds both; a run with one of them is still warm
    cache = drill_home / "cache" / catalog.CACHE_NAME
    before = cache.stat().st_mtime_ns
    catalog.load_catalog([a])
    assert cache.stat().st_mtime_ns == before


def test_the_requires_index_says_what_each_question_requires(drill_home):
    from drill.packs import requires_index

    assert requires_index.lookup("p/q") is None  # no index yet
    q = lambda uid, requires: {"uid": uid, "id": uid.split("/")[1], "requires": requires}  # noqa: E731
    requires_index.write({
        "a.yaml": {"questions": [q("p/q", ["numpy"]), q("p/arrays", ["pandas", "numpy"]), q("p/plain", [])]},
        "b.yaml": {"questions": [q("o/q", []), q("o/xp/q", ["numpy"])]},
    })
    assert requires_index.lookup("p/q") == ("numpy",)
    assert requires_index.lookup("p/arrays") == ("pandas", "numpy")
    assert requires_index.lookup("arrays") == ("pandas", "numpy")  # a bare id
    assert requires_index.lookup("q") is None  # p/q and o/q disagree
    assert requires_index.lookup("p/plain") == () and requires_index.lookup("nope") == ()
    assert requires_index.lookup("xp/q") == ()  # only the end of a key ("o/xp/q")
    assert requires_index.lookup("o/xp/q") == ("numpy",)
    index = drill_home / "cache" / requires_index.NAME
    index.write_text(index.read_text().replace("drill-requires", "drill-requires-old"))
    assert requires_index.lookup("p/q") is None  # another drill's: cannot say
