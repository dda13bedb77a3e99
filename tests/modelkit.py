"""Helpers for the take-home (`model`) tests: the fixture pack, copies of it with other
fields, and answers written on the fly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "model-pack"
ANSWERS = FIXTURE / "answers"
PACK_ID = "model-fixture"


def answer(name: str) -> str:
    return (ANSWERS / f"{name}.py").read_text(encoding="utf-8")


def copy_fixture(folder: Path, **changes: dict[str, Any]) -> Path:
    """The fixture pack copied into `folder`; `changes` maps a question id to fields to set
    (a value of None removes the field). Returns the pack file."""
    target = folder / "model-pack"
    shutil.copytree(FIXTURE, target)
    path = target / "model-pack.yaml"
    if changes:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in data["questions"]:
            for key, value in changes.get(q["id"].replace("-", "_"), {}).items():
                if value is None:
                    q.pop(key, None)
                else:
                    q[key] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def load(pack: Path, qid: str = "card-fraud"):
    from drill.packs.catalog import load_catalog

    return load_catalog([pack]).load(f"{PACK_ID}/{qid}")


def task(pack: Path, qid: str = "card-fraud"):
    from drill.packs.takehome import task_for

    return task_for(load(pack, qid))
