"""What the judge owns on the machine, and when it may weaken isolation (issue 12, items 2, 4, 5):
bubblewrap is given up only where it cannot work at all, each check has its own box, its
cgroup and folders are named for it, and what a killed check left is removed by the next."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drill.judge import boxes, cgroup, probe, sandbox
from drill.judge.code import judge_spec
from drill.judge.spec import Case, Spec
from tests.conftest import DRILL
from tests.judgekit import bwrap_works, code_question, write_pack

needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")


def small_spec(n: int = 2) -> Spec:
    return Spec(uid="tp/q", entry="f", is_class=False, seconds=2,
                cases=[Case(f"t{i}", True, {"args": [i], "kwargs": {}}, i) for i in range(n)])


IDENTITY = "def f(x):\n    return x\n"


@pytest.fixture(autouse=True)
def fresh_probe(monkeypatch):
    monkeypatch.setattr(probe, "_memo", {})


def failing_hellos(monkeypatch, failures: int) -> list[int]:
    """Make the first `failures` runners fail to say hello (as under a passing trouble)."""
    calls = [0]
    real = sandbox._await_hello

    def hello(child):
        calls[0] += 1
        if calls[0] <= failures:
            return False
        return real(child)

    monkeypatch.setattr(sandbox, "_await_hello", hello)
    return calls


# ---------------------------------------------------------------- never a silent downgrade


@needs_bwrap
def test_a_passing_failure_of_bwrap_is_retried_not_downgraded(monkeypatch):
    calls = failing_hellos(monkeypatch, 2)
    result, notes = judge_spec(small_spec(), IDENTITY, "auto")
    assert (result.sandbox, [c.status for c in result.cases], notes) == ("bwrap", ["passed", "passed"], [])
    assert calls[0] == 3


@needs_bwrap
def test_bwrap_that_keeps_failing_where_it_works_is_an_internal_error(monkeypatch):
    failing_hellos(monkeypatch, 10**6)
    result, notes = judge_spec(small_spec(), IDENTITY, "auto")
    assert result.sandbox == "bwrap" and notes == []
    assert [c.status for c in result.cases] == ["internal_error", "internal_error"]
    assert "could not start" in result.cases[0].message


def fake_bwrap(tmp_path: Path) -> tuple[Path, Path]:
    """A bwrap that cannot work here, counting its runs."""
    count = tmp_path / "bwrap-runs"
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\necho x >> {count}\necho 'bwrap: No permissions to create new namespace' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)
    return fake, count


def test_a_bwrap_that_cannot_work_is_probed_once_and_remembered(tmp_path, monkeypatch):
    fake, count = fake_bwrap(tmp_path)
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: str(fake))
    result, notes = judge_spec(small_spec(), IDENTITY, "auto")
    assert result.sandbox == "rlimit" and [c.status for c in result.cases] == ["passed", "passed"]
    assert len(notes) == 1 and "cannot work on this machine" in notes[0]
    assert len(count.read_text().split()) == 3  # the runner, then the probe twice
    cached = json.loads((Path(os.environ["DRILL_HOME"]) / "cache" / "bwrap-probe.json").read_text())
    assert cached["works"] is False and cached["key"][0] == str(fake)
    monkeypatch.setattr(probe, "_memo", {})  # as a new drill process would start
    result, notes = judge_spec(small_spec(), IDENTITY, "auto")
    assert result.sandbox == "rlimit" and len(notes) == 1
    assert len(count.read_text().split()) == 4  # only the runner's attempt: no probe again
    # An explicit --sandbox bwrap is refused, not downgraded.
    with pytest.raises(sandbox.SandboxError, match="failed to start"):
        judge_spec(small_spec(), IDENTITY, "bwrap")


def test_no_free_box_is_an_internal_error_not_a_weaker_sandbox(monkeypatch):
    if os.getuid() != 0:
        pytest.skip("boxes are used where bwrap drops to a sandbox uid (as root)")
    monkeypatch.setattr(sandbox, "resolve", lambda requested: "bwrap")

    def no_box(wait: float = 0.0):
        raise boxes.NoBox("all 100 judge boxes are in use")

    monkeypatch.setattr(boxes, "acquire", no_box)
    result, notes = judge_spec(small_spec(), IDENTITY, "auto")
    assert result.sandbox == "bwrap" and notes == []
    assert [c.status for c in result.cases] == ["internal_error"] * 2
    assert "boxes are in use" in result.cases[0].message


def test_boxes_are_exclusive_and_freed_with_their_holder(tmp_path, monkeypatch):
    monkeypatch.setattr(boxes, "lock_dir", lambda: str(tmp_path))
    monkeypatch.setattr(boxes, "BOXES", 3)
    held = [boxes.acquire(wait=0) for _ in range(3)]
    assert sorted(b.uid for b in held if b) == [60001, 60002, 60003]
    with pytest.raises(boxes.NoBox):
        boxes.acquire(wait=0.1)
    held[1].release()
    again = boxes.acquire(wait=0)
    assert again is not None and again.uid == held[1].uid
    # A holder killed with SIGKILL frees its box: the lock dies with it.
    for b in (*held, again):
        b.release()
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from drill.judge import boxes; "
            f"boxes.lock_dir = lambda: {str(tmp_path)!r}; boxes.BOXES = 1; b = boxes.acquire(wait=0); "
            "print(b.uid, flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(Path(__file__).resolve().parent.parent)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "60001"
    monkeypatch.setattr(boxes, "BOXES", 1)
    with pytest.raises(boxes.NoBox):
        boxes.acquire(wait=0.1)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert boxes.acquire(wait=1).uid == 60001


def test_a_lock_folder_someone_else_could_write_is_not_used(tmp_path):
    shared = tmp_path / "drill-boxes"
    shared.mkdir()
    shared.chmod(0o777)
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    assert boxes.lock_dir([str(shared), str(link)]) is None
    assert boxes.lock_dir([str(shared), str(tmp_path / "mine")]) == str(tmp_path / "mine")


# ---------------------------------------------------------------- leftovers of killed checks


def dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_stale_judge_folders_are_removed_only_when_their_owner_is_gone(tmp_path):
    me = boxes.owner_tag()
    gone = f"{dead_pid()}.12345"
    reused = f"{os.getpid()}.1"  # our pid, another start time: a process that is gone
    made = {}
    for name in (f"drill-judge-{gone}-aaaa", f"drill-work-{gone}-bbbb", f"drill-judge-{reused}-cccc",
                 f"drill-judge-{me}-dddd", "drill-judge-legacyold", "drill-judge-legacynew", "unrelated"):
        folder = tmp_path / name
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "f").write_text("x")
        made[name] = folder
    (made[f"drill-judge-{gone}-aaaa"] / "sub").chmod(0o500)  # as an answer may leave it
    old = time.time() - 2 * boxes.LEGACY_AGE
    os.utime(made["drill-judge-legacyold"], (old, old))
    live = subprocess.Popen(["sleep", "30"])
    try:
        other = tmp_path / f"drill-judge-{live.pid}.{boxes._start_time(live.pid)}-eeee"
        other.mkdir()
        removed = boxes.remove_stale_folders(str(tmp_path))
    finally:
        live.kill()
        live.wait()
    assert sorted(Path(p).name for p in removed) == sorted(
        [f"drill-judge-{gone}-aaaa", f"drill-work-{gone}-bbbb", f"drill-judge-{reused}-cccc",
         "drill-judge-legacyold"])
    assert other.exists() and made[f"drill-judge-{me}-dddd"].exists()
    assert made["drill-judge-legacynew"].exists() and made["unrelated"].exists()


def test_a_check_s_own_folder_is_removed_with_or_without_shutil(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ("answer.py", "runner.bin", "stderr"):
        (flat / name).write_text("x")
    deep = tmp_path / "deep"
    (deep / "sub" / "subsub").mkdir(parents=True)
    (deep / "sub" / "subsub" / "f").write_text("x")
    (deep / "sub").chmod(0o500)  # as an answer may leave a folder: shutil's fallback restores it
    for folder in (flat, deep, tmp_path / "never-made"):
        boxes.remove_folder(str(folder))
        assert not folder.exists()


def test_waiting_for_the_wrapper_sees_it_end_or_gives_up():
    child = object.__new__(sandbox.Child)  # only its process matters to _wait
    child.proc = subprocess.Popen(["sleep", "0.05"])
    assert child._wait(5.0) and child.proc.returncode == 0
    assert child._wait(5.0)  # reaped already
    child.proc = subprocess.Popen(["sleep", "5"])
    try:
        started = time.monotonic()
        assert not child._wait(0.1)
        assert 0.1 <= time.monotonic() - started < 2.0  # one bound, not two
    finally:
        child.proc.kill()
        child.proc.wait()


def test_the_hello_is_read_alone_and_what_follows_stays_for_the_judge():
    # A config sent early makes the runner's next frame follow its hello at once.
    r, w = os.pipe()
    child = object.__new__(sandbox.Child)
    child.from_child = r
    hello, ready = b'{"hello": 1, "cgroup": true}', b'{"ready":true}'
    os.write(w, len(hello).to_bytes(4, "big") + hello + len(ready).to_bytes(4, "big") + ready)
    try:
        assert sandbox._await_hello(child) and child.entered
        assert os.read(r, 100) == len(ready).to_bytes(4, "big") + ready
    finally:
        os.close(r)
        os.close(w)


def test_a_runner_outside_its_group_is_not_bounded_by_it_even_with_its_wrapper_inside(tmp_path):
    # Stand-in v2 group files: the wrapper (pid 4242) was moved in early; the runner was not.
    folder = tmp_path / "group"
    folder.mkdir()
    (folder / "cgroup.procs").write_text("4242\n")
    child = object.__new__(sandbox.Child)
    child.proc = subprocess.Popen(["true"])
    child.proc.wait()
    child.proc.pid = 4242  # type: ignore[misc]
    child.wrapped, child.entered, child.stray = True, True, None
    child.group = cgroup.Group(cgroup.V2, [str(folder)])
    child.group.limited = True
    child.confine()
    assert child.group is None and child.stray is not None and child.bounds == cgroup.RLIMIT
    (folder / "cgroup.procs").write_text("4242\n4243\n")  # the runner too: bounded
    child.group, child.stray = child.stray, None
    child.confine()
    assert child.group is not None and child.bounds == cgroup.V2


def test_a_folder_of_another_user_is_never_removed(tmp_path):
    if os.getuid() != 0:
        pytest.skip("needs root to make a folder another user owns")
    folder = tmp_path / f"drill-judge-{dead_pid()}.1-ffff"
    folder.mkdir()
    os.chown(folder, 60001, 60001)
    assert boxes.remove_stale_folders(str(tmp_path)) == [] and folder.exists()


def _owned_by(pid: int) -> tuple[list[str], list[str]]:
    """Judge folders in the temporary folder, and cgroups, that process `pid` made."""
    import tempfile

    folders = [n for n in os.listdir(tempfile.gettempdir())
               if n.startswith(boxes.FOLDER_PREFIXES) and boxes._tag_of(n) and boxes._tag_of(n).split(".")[0] == str(pid)]
    groups = []
    for place in cgroup.places():
        for parent in place.folders:
            with contextlib.suppress(OSError):
                groups += [os.path.join(parent, n) for n in os.listdir(parent)
                           if n.startswith(cgroup.PREFIX) and (boxes._tag_of(n) or "").split(".")[0] == str(pid)]
    return folders, groups


@pytest.mark.parametrize("mode", ["none", pytest.param("bwrap", marks=needs_bwrap)])
def test_a_check_killed_with_sigkill_leaves_nothing_after_the_next(tmp_path, mode):
    pack = write_pack(tmp_path, code_question(limits={"seconds": 20, "memory_mb": 256}))
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ndef f(x):\n    time.sleep(30)\n    return x\n", encoding="utf-8")
    check = subprocess.Popen([*DRILL, "check", "tp/q", str(slow), "--pack", str(pack), "--sandbox", mode],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        folders, groups = _owned_by(check.pid)
        if folders and (groups or not cgroup.places()):
            break
        time.sleep(0.05)
    assert folders, "the check made no folder of its own"
    time.sleep(0.5)  # into its case
    check.send_signal(signal.SIGKILL)
    check.wait()
    assert _owned_by(check.pid)[0], "nothing was left to clean up: the test proves nothing"
    good = tmp_path / "good.py"
    good.write_text("def f(x):\n    return x\n", encoding="utf-8")
    deadline = time.monotonic() + 20
    while True:  # the killed check's runner may take a moment to notice it is alone
        r = subprocess.run([*DRILL, "check", "tp/q", str(good), "--pack", str(pack), "--sandbox", mode,
                            "--no-record"], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        if _owned_by(check.pid) == ([], []) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert _owned_by(check.pid) == ([], [])


# ---------------------------------------------------------------- where cgroups are made

V1_MOUNTS = """\
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
V1_OWN = "8:pids:/\n4:memory:/process_api/abc\n0::/\n"
V2_MOUNTS = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
V2_OWN = "0::/user.slice/user-0.slice/session-3.scope\n"


def test_places_on_a_cgroup_v1_machine():
    places = cgroup.find_places(V1_MOUNTS, V1_OWN)
    assert places[0].kind == cgroup.V1
    assert places[0].folders == ("/sys/fs/cgroup/memory/process_api/abc", "/sys/fs/cgroup/pids")


def test_places_on_a_cgroup_v2_machine():
    places = cgroup.find_places(V2_MOUNTS, V2_OWN)
    assert [(p.kind, p.folders) for p in places] == [
        (cgroup.V2, ("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope",)),
        (cgroup.V2, ("/sys/fs/cgroup",))]


def test_a_cgroup_namespace_root_is_mapped():
    mounts = "35 31 0:32 /docker/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" \
             "39 31 0:36 /docker/x /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
    places = cgroup.find_places(mounts, "4:memory:/docker/x/y\n8:pids:/docker/x\n")
    assert places[0].folders == ("/sys/fs/cgroup/memory/y", "/sys/fs/cgroup/pids")


def test_a_v2_group_gets_memory_swap_and_pids(tmp_path, monkeypatch):
    # A stand-in for a v2 hierarchy (the kernel's files are plain files here).
    root = tmp_path / "unified"
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text("memory pids\n")
    monkeypatch.setattr(cgroup, "_places", [cgroup.Place(cgroup.V2, (str(root),))])
    group = cgroup.create(pids_max=42)
    assert group is not None and group.kind == cgroup.V2
    folder = Path(group.folders[0])
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n")
    group.set_memory(123 << 20)
    assert (folder / "pids.max").read_text() == "42"
    assert (folder / "memory.max").read_text() == str(123 << 20)
    assert (folder / "memory.swap.max").read_text() == "0"
    assert group.limited and not group.new_oom_kills()
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 9\noom 2\noom_kill 1\n")
    assert group.new_oom_kills() and not group.new_oom_kills()
    group.add(4242)
    assert (folder / "cgroup.procs").read_text() == "4242"


def test_priming_writes_a_thread_s_own_id_where_it_already_is(tmp_path, monkeypatch):
    # Its own id, not 0: the kernel takes the lock (and waits out the grace period) only
    # for an id; "0" moves the writing thread without it. v2 places are not primed.
    import threading

    memory, pids = tmp_path / "memory", tmp_path / "pids"
    for folder in (memory, pids):
        folder.mkdir()
    (memory / "tasks").write_text("")
    monkeypatch.setattr(cgroup, "_places", [cgroup.Place(cgroup.V1, (str(memory), str(pids)))])
    cgroup.prime()
    for thread in threading.enumerate():
        if thread.name == "drill-cgroup-prime":
            thread.join(5)
    written = (memory / "tasks").read_text()
    assert written.isdigit() and int(written) not in (0, os.getpid())
    assert not (pids / "tasks").exists()
    (memory / "tasks").write_text("")
    monkeypatch.setattr(cgroup, "_places", [cgroup.Place(cgroup.V2, (str(memory),))])
    cgroup.prime()
    assert (memory / "tasks").read_text() == ""


def test_a_v2_place_without_the_controllers_is_not_used(tmp_path, monkeypatch):
    root = tmp_path / "unified"
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpu io\n")
    (root / "cgroup.subtree_control").write_text("")
    monkeypatch.setattr(cgroup, "_places", [cgroup.Place(cgroup.V2, (str(root),))])
    assert cgroup.create() is None
    assert cgroup._places[0].broken


def test_the_check_says_which_bounds_held(tmp_path):
    pack = write_pack(tmp_path, code_question())
    good = tmp_path / "good.py"
    good.write_text("def f(x):\n    return x\n", encoding="utf-8")
    r = subprocess.run([*DRILL, "check", "tp/q", str(good), "--pack", str(pack), "--sandbox", "none", "--json",
                        "--no-record"], capture_output=True, text=True, timeout=60)
    data = json.loads(r.stdout)
    group = cgroup.create()
    if group is not None:
        group.remove()
    assert data["bounds"] == (group.kind if group is not None else "rlimit")


def test_without_proc_an_owner_is_asked_by_its_pid(monkeypatch):
    # As on macOS: no /proc, so liveness comes from kill(pid, 0), never "gone" by default.
    real_exists = os.path.exists
    monkeypatch.setattr(boxes.os.path, "exists", lambda p: False if p.startswith("/proc") else real_exists(p))
    monkeypatch.setattr(boxes, "open", lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError()), raising=False)
    assert boxes.owner_alive(f"{os.getpid()}.123")
    assert not boxes.owner_alive(f"{dead_pid()}.123")


@pytest.mark.parametrize("mode", ["none", pytest.param("bwrap", marks=needs_bwrap)])
def test_the_answer_runs_inside_its_cgroup_from_its_import_on(mode):
    """The runner moves itself into the group before the answer's code runs: the answer's
    import, each case, and what a case forks are all in the group drill made."""
    group = cgroup.create()
    if group is None:
        pytest.skip("no cgroup can be had here")
    group.remove()
    name = "memory" if group.kind == cgroup.V1 else ""
    source = (
        "import os\n"
        f"def where():\n"
        f"    for line in open('/proc/self/cgroup').read().splitlines():\n"
        f"        _, controllers, path = line.split(':', 2)\n"
        f"        if ({name!r} in controllers.split(',')) if {name!r} else controllers == '':\n"
        f"            return path.rsplit('/', 1)[-1]\n"
        "AT_IMPORT = where()\n"
        "def f(x):\n"
        "    r, w = os.pipe()\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os.write(w, where().encode())\n"
        "        os._exit(0)\n"
        "    os.waitpid(pid, 0)\n"
        "    return [AT_IMPORT, where(), os.read(r, 200).decode()]\n"
    )
    spec = Spec(uid="tp/q", entry="f", is_class=False, memory_mb=256,
                cases=[Case(f"t{i}", True, {"args": [i], "kwargs": {}}, None) for i in range(2)])
    result, _ = judge_spec(spec, source, mode)
    assert result.bounds == group.kind
    for case in result.cases:
        groups = case.actual
        assert isinstance(groups, list) and len(set(groups)) == 1, (case.status, case.message, groups)
        assert groups[0].startswith(cgroup.PREFIX), groups
