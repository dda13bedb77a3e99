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
    return cat.load(ref)
