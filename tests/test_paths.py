"""Where drill keeps its data when DRILL_HOME is not set: the folder platformdirs names."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from drill import paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worked out by drill on Linux only")
@pytest.mark.parametrize(("xdg", "home"), [
    (None, "/home/ana"), (None, "/home/ana/"), (None, "/"), ("/data/xdg", "/home/ana"), ("/data/xdg/", "/home/ana"),
    ("relative/xdg", "/home/ana"), ("   ", "/home/ana"), ("", "/home/ana"), (None, "relative-home"),
])
def test_the_default_data_folder_is_platformdirs(monkeypatch, xdg, home):
    monkeypatch.delenv("DRILL_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert paths.home_dir() == platformdirs.user_data_dir("drill", appauthor=False)


def test_drill_home_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("DRILL_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_DATA_HOME", "/elsewhere")
    assert paths.home_dir() == str(tmp_path / "d")
