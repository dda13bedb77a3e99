"""The SQL judge's child process (drill/sql/run.py), seen from drill: started, given one
job, read line by line with timeouts, stopped.

A child is started before its job is known (`Child()`), so that `drill check` can start
it before it has even parsed its command line (drill.judge.prelaunch): the interpreter
and SQLite load while drill does. Standard library only, and light: it is imported then.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading

RUNNER = os.path.join(os.path.dirname(os.path.realpath(__file__)), "run.py")
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(RUNNER)))
# drill.sql.run imported as a module, from its compiled file where there is one (Python
# compiles a script it runs afresh on every start).
_BOOT = "import sys;sys.path.insert(0,sys.argv.pop(1));from drill.sql.run import main;main()"
_RUN_PY = RUNNER  # a test may point RUNNER at another script, which then runs as one


class Child:
    """One runner process, read line by line with timeouts."""

    def __init__(self) -> None:
        start = ["-c", _BOOT, _PACKAGE_ROOT] if RUNNER == _RUN_PY else [RUNNER]
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", *start],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8")
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr = ""
        threading.Thread(target=self._read, daemon=True).start()

    def send(self, job: dict) -> None:
        """The job, all at once: the child reads its stdin to the end, then runs it."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(job))
            self.proc.stdin.close()
        except OSError:
            pass  # the child died at once; its missing output tells the story

    def _read(self) -> None:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.stderr = self.proc.stderr.read()
        self.lines.put(None)

    def next(self, timeout: float) -> dict | str:
        """The next message, or "timeout", or "stopped" when the child has ended."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        if line is None:
            return "stopped"
        try:
            msg = json.loads(line)
        except ValueError:
            return "stopped"
        return msg if isinstance(msg, dict) else "stopped"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def crash(self) -> dict:
        import signal

        from drill.judge.verdict import cut

        self.stop()
        code = self.proc.returncode
        if code == -getattr(signal, "SIGXCPU", -1000):
            return {"status": "time_limit", "message": "used up its CPU time"}
        tail = self.stderr.strip().splitlines()[-1:] or [f"exit code {code}"]
        return {"status": "internal_error", "message": cut("the SQL runner stopped: " + tail[0])}
