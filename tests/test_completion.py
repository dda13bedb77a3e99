"""Shell completion, as a shell asks for it: typer's environment variables, a real `drill` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DRILL
from tests.judgekit import code_question, write_pack


def complete(shell: str, line: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """What drill answers a shell completing `line` (the word being typed is its last one,
    or a new one after a trailing space)."""
    words = line.split(" ")
    if shell == "bash":
        extra = {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        extra = {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    return subprocess.run([*DRILL], capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={**os.environ, "_DRILL_COMPLETE": f"complete_{shell}", **extra, **env})


def bash(line: str, **kw) -> list[str]:
    r = complete("bash", line, **kw)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout.split()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path, code_question(id="sum-it", title="Sum it \x1b[2J up", tags=["arrays", "zzhash"]),
                      code_question(id="other", title="Other", round="custom-round", tags=["arrays"]))


def test_commands_and_options_complete():
    assert {"start", "check", "list", "show", "export", "packs"} <= set(bash("drill "))
    assert bash("drill ch") == ["check"]
    assert "--sandbox" in bash("drill check --s") and bash("drill export --f") == ["--format"]
    assert {"list", "validate", "new", "schema", "audit"} == set(bash("drill packs "))


def test_values_complete_from_the_catalogue(pack: Path):
    p = f"--pack {pack}"
    assert bash(f"drill check {p} tp/") == ["tp/other", "tp/sum-it"]
    assert bash(f"drill show {p} tp/su") == ["tp/sum-it"] and bash(f"drill show {p} nope") == []
    assert bash(f"drill start {p} --question tp/s") == ["tp/sum-it"]
    assert bash(f"drill list {p} --round custom") == ["custom-round"]
    assert {"mixed", "custom-round", "coding"} <= set(bash(f"drill start {p} --round "))
    assert "all" in bash(f"drill plan {p} --rounds ") and "coding" in bash(f"drill plan {p} --rounds ")
    assert bash(f"drill list {p} --tag zzh") == ["zzhash"]
    assert {"coding-algo", "coding-ml"} <= set(bash("drill packs audit coding-")) and bash("drill packs audit sq") == ["sql"]
    assert bash("drill list --difficulty e") == ["easy"]
    assert bash("drill start --focus ") == ["due", "new", "random", "weak"]
    assert bash("drill export --format ") == ["csv", "json"]
    assert bash("drill check x y --sandbox ") == ["auto", "bwrap", "none"]


def test_files_are_left_to_the_shell(pack: Path):
    # Nothing offered: bash (complete -o default) and zsh (_files) then complete file names.
    assert bash(f"drill check tp/sum-it --pack {pack} ans") == []
    assert bash("drill export -o ou") == []
    r = complete("zsh", "drill check tp/sum-it an")
    assert r.returncode == 0 and r.stdout.strip() == "_files"


def test_zsh_and_fish_show_titles_terminal_safe(pack: Path):
    r = complete("zsh", f"drill show --pack {pack} tp/su")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("_arguments") and '"tp/sum-it":"Sum it \\x1b[2J up"' in r.stdout
    assert "\x1b" not in r.stdout
    r = complete("fish", f"drill show --pack {pack} tp/su")
    assert r.returncode == 0 and r.stdout.strip() == "tp/sum-it\tSum it \\x1b[2J up"


def test_completing_never_fails_or_offers_strange_words(tmp_path: Path, pack: Path, drill_home: Path):
    assert bash(f"drill check --pack {tmp_path / 'missing.yaml'} tp/") == []
    # A catalogue cache someone else wrote: words that are not plain uids are not offered.
    assert bash(f"drill check --pack {pack} tp/")
    cache = drill_home / "cache" / "catalog.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    entry = next(e for e in data["files"].values() if e["pack"] and e["pack"]["id"] == "tp")
    entry["questions"][0]["uid"] = "tp/evil\x1b]52;c;x\x07"
    entry["questions"][1]["round"] = "evil;rm -rf ~"
    cache.write_text(json.dumps(data), encoding="utf-8")
    got = bash(f"drill check --pack {pack} tp/")
    assert got and not any("\x1b" in w or ";" in w for w in got)
    assert not any(";" in w for w in bash(f"drill list --pack {pack} --round "))


def test_completing_does_not_import_rich(pack: Path):
    """zsh and fish show help beside each word; typer would render it through rich (some 0.1 s)."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "drill"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "_DRILL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "drill "})
    assert r.returncode == 0 and "_arguments" in r.stdout
    imported = {ln.rsplit("|", 1)[-1].strip() for ln in r.stderr.splitlines() if ln.startswith("import time:")}
    assert "rich" not in imported


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_and_install_completion(tmp_path: Path, shell: str):
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1", "HOME": str(tmp_path),
           "SHELL": f"/bin/{shell}"}
    r = subprocess.run([*DRILL, "--show-completion", shell], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and "_DRILL_COMPLETE" in r.stdout, r.stderr
    r = subprocess.run([*DRILL, "--install-completion", shell], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and "completion installed" in r.stdout, r.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("_DRILL_COMPLETE" in p.read_text(encoding="utf-8", errors="replace") for p in written), written


def test_help_lists_the_completion_options():
    r = subprocess.run([*DRILL, "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--install-completion" in r.stdout and "--show-completion" in r.stdout


def test_fixed_choices_match_their_sources():
    from drill.commands import completion
    from drill.judge.sandbox import MODES
    from drill.progress.schedule import FOCUSES

    assert completion.FOCUSES == FOCUSES and completion.SANDBOXES == MODES
