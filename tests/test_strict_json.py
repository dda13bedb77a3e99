"""Everything drill writes as JSON is strict JSON: never `NaN` or `Infinity` (issue 12, item 1)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from drill import strictjson, ui
from drill.progress.store import Attempt, open_store
from tests.conftest import run_drill

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def strict(text: str):
    def refuse(name: str):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_dumps_writes_non_finite_numbers_as_null():
    value = {"a": float("inf"), "b": [1.5, float("nan"), {"c": -float("inf")}], "d": (2, float("inf"))}
    assert strict(strictjson.dumps(value)) == {"a": None, "b": [1.5, None, {"c": None}], "d": [2, None]}
    assert strictjson.dumps({"x": 1.25}) == json.dumps({"x": 1.25})


def test_print_json_is_strict(capsys):
    ui.print_json({"time_ms": float("inf"), "ok": [float("nan")]})
    assert strict(capsys.readouterr().out) == {"time_ms": None, "ok": [None]}


def _attempt(cases) -> Attempt:
    return Attempt(uid="t/q", pack="t", round="coding", kind="code", difficulty="medium", tags=("x",),
                   started_at=NOW, ended_at=NOW, score=1.0, verdict="passed", cases=cases)


def test_the_store_never_keeps_infinity_and_export_is_strict(drill_home):
    with open_store() as store:
        store.insert_attempt(_attempt([{"name": "t", "time_ms": float("inf")}]))
    # As an older drill may have written it: `Infinity` in the cases column.
    db = sqlite3.connect(drill_home / "drill.db")
    with db:
        (raw,) = db.execute("SELECT cases FROM attempts").fetchone()
        assert "Infinity" not in raw
        db.execute("UPDATE attempts SET cases = ?", ('[{"name": "t", "time_ms": Infinity}]',))
    db.close()
    for fmt in ("json", "csv"):
        r = run_drill("export", "--format", fmt)
        assert r.returncode == 0, r.stderr
        assert "Infinity" not in r.stdout and "NaN" not in r.stdout
    data = strict(run_drill("export", "--format", "json").stdout)
    assert data["attempts"][0]["cases"][0]["time_ms"] is None


def test_a_damaged_spec_cache_entry_is_rebuilt_not_used(tmp_path):
    from drill.judge import speccache
    from drill.judge.spec import Case, Spec

    pack = tmp_path / "p.yaml"
    pack.write_text("x")
    spec = Spec(uid="p/q", entry="f", is_class=False, cases=[Case("t", True, {"args": [1], "kwargs": {}}, 1)])
    speccache.save(spec, str(pack), [speccache.stamp(str(pack))])
    assert speccache.load("p/q", str(pack)) == spec
    for field, bad in (("seconds", float("inf")), ("seconds", float("nan")), ("memory_mb", 10**12),
                       ("rel_tol", -1.0)):
        broken = Spec(**{**spec.__dict__, field: bad})
        speccache.save(broken, str(pack), [speccache.stamp(str(pack))])
        assert speccache.load("p/q", str(pack)) is None, field
