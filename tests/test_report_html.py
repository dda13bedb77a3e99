"""`drill report --html` as a person sees it: opened in a real headless Chromium.

The page must draw every chart (each has drawn SVG shapes, and its part of a full-page
screenshot is not blank), log no console error, run no script and load nothing but
itself. Skipped only when no Chromium is installed (.ci/run installs Debian's).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drill.progress.record import record_attempt
from drill.progress.store import Attempt, open_store
from tests.browserkit import find_browser, ink, look
from tests.conftest import run_drill

pytestmark = pytest.mark.skipif(find_browser() is None, reason="no Chromium installed (apt-get install chromium)")

CHARTS = ["activity", "weekly", "recall", "readiness", "tags", "time"]


def history(n: int = 160) -> None:
    """Attempts over the last ten weeks on the built-in questions of five rounds."""
    from drill.packs.catalog import load_catalog

    rng = random.Random(11)
    qs = [s for s in load_catalog().questions if s.round in ("coding", "sql", "stats", "mlops", "system-design")]
    now = datetime.now(UTC)
    with open_store() as st:
        for k in range(n):
            s = rng.choice(qs[:60])
            at = now - timedelta(days=70 * (1 - k / n), minutes=rng.random() * 300)
            used = s.minutes * 60 * rng.uniform(0.4, 1.5)
            record_attempt(st, Attempt.for_question(s, started_at=at - timedelta(seconds=used), ended_at=at,
                                                    score=min(1.0, max(0.0, rng.gauss(0.7, 0.25))),
                                                    verdict="graded"))


@pytest.mark.parametrize("with_history", [True, False], ids=["history", "first-day"])
def test_the_html_report_renders_in_chromium(tmp_path: Path, drill_home: Path, with_history: bool):
    pytest.importorskip("matplotlib")
    if with_history:
        history()
        day = (datetime.now().date() + timedelta(days=24)).isoformat()
        assert run_drill("plan", "--interview", day).returncode == 0
    page = tmp_path / "report.html"
    r = run_drill("report", "--html", str(page), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["charts"] == len(CHARTS)

    seen = look(page)
    (tmp_path / "report.png").write_bytes(seen.screenshot)  # kept for a person to look at
    assert seen.console_errors == []
    assert seen.requests == [page.resolve().as_uri()]  # nothing but the page itself
    assert seen.scripts == 0
    assert [c["name"] for c in seen.charts] == CHARTS
    for c in seen.charts:
        assert c["svg"] and c["w"] > 600 and c["h"] > 100, c
        # Axes and marks were drawn (an empty chart still has its frame and a note).
        assert c["shapes"] >= (20 if with_history else 3) and c["texts"] >= 1, c
        share = ink(seen.screenshot, c)
        assert share > (0.02 if with_history else 0.003), (c["name"], share)  # not blank
    if with_history:
        # Charts with data carry far more ink than the frame of an empty one.
        assert ink(seen.screenshot, seen.charts[0]) > 0.05


def test_the_ink_check_sees_a_blank_region(tmp_path: Path):
    """The screenshot check must be able to fail: an empty chart box reads as blank."""
    page = tmp_path / "blank.html"
    page.write_text('<!DOCTYPE html><html><body><figure class="chart" data-chart="x" '
                    'style="width:700px;height:300px;margin:0"><svg width="700" height="300"></svg>'
                    "</figure></body></html>", encoding="utf-8")
    seen = look(page)
    assert seen.charts[0]["shapes"] == 0
    assert ink(seen.screenshot, seen.charts[0]) < 0.001


def test_console_errors_are_caught(tmp_path: Path):
    page = tmp_path / "noisy.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>",
                    encoding="utf-8")
    seen = look(page)
    assert any("boom" in e for e in seen.console_errors)
    assert seen.scripts == 1
