"""`drill show`: a question as a candidate sees it; never its hidden tests."""

from __future__ import annotations

from pathlib import Path

from drill import ui
from drill.packs.catalog import Loaded, load_catalog
from drill.render.question import render_question as render

__all__ = ["render", "show"]


def show(ref: str, extra: list[Path] | None) -> Loaded:
    cat = load_catalog(extra)
    ui.warn_problems(cat.problems)
    summary = cat.find(ref)
    if not summary.available:
        err = summary.unavailable_error()
        ui.warn(f"{err.message}: it cannot be judged here. {err.detail}")
    return cat.load(ref)
