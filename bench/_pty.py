"""A drill process in a pseudo-terminal for the screen benchmarks: its output goes through
an emulated terminal (pyte), and every read is stamped with the time it arrived, so
"when did the screen first show X" is the arrival time of the bytes that drew it, not
the time the emulator finished parsing them."""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path

CPR_REQUEST = b"\x1b[6n"  # the older inline screen asks where the cursor is


class Term:
    def __init__(self, argv: list[str], home: Path, *, cols: int = 100, rows: int = 30,
                 env: dict | None = None) -> None:
        import pexpect
        import pyte

        e = {**os.environ, "DRILL_HOME": str(home), "TERM": "xterm-256color", **(env or {})}
        e.pop("NO_COLOR", None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.started = time.perf_counter()
        self.child = pexpect.spawn(argv[0], argv[1:], env=e, dimensions=(rows, cols), timeout=60)
        self.fd = self.child.child_fd

    def send(self, data: str | bytes) -> float:
        """Write to the terminal; returns when it was written."""
        raw = data.encode() if isinstance(data, str) else data
        os.write(self.fd, raw)
        return time.perf_counter()

    def _read(self, wait: float) -> float | None:
        """One read: the time its bytes arrived, or None when nothing came (EOF raises)."""
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return None
        at = time.perf_counter()
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            raise EOFError("drill ended; last screen:\n" + self.text())
        if CPR_REQUEST in data:
            self.send(f"\x1b[{self.screen.cursor.y + 1};{self.screen.cursor.x + 1}R")
        self.stream.feed(data)
        return at

    def until(self, shown: Callable[[Term], bool], timeout: float = 30.0) -> float:
        """Read until `shown(self)` holds; the arrival time of the read that made it hold."""
        deadline = time.perf_counter() + timeout
        if shown(self):
            return time.perf_counter()
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("the screen never showed what was awaited; it shows:\n" + self.text())
            at = self._read(min(left, 0.5))
            if at is not None and shown(self):
                return at

    def wait_text(self, needle: str, timeout: float = 30.0) -> float:
        return self.until(lambda t: needle in t.text(), timeout)

    def drain(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._read(left)

    def cpu_ms(self) -> float | None:
        """CPU time drill has used so far, all its threads (Linux schedstat, in ms): a
        figure a busy machine inflates far less than wall time."""
        total = 0
        try:
            for task in Path(f"/proc/{self.child.pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return total / 1e6

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def cursor_line(self) -> str:
        """The cursor's row up to the cursor."""
        y, x = self.screen.cursor.y, self.screen.cursor.x
        row = self.screen.buffer[y]
        return "".join(row[i].data for i in range(x))

    def stop(self) -> None:
        """End drill as a closed terminal would (it saves and restores the terminal)."""
        try:
            self.child.kill(signal.SIGTERM)
            end = time.perf_counter() + 10
            while time.perf_counter() < end:
                self._read(0.2)
        except (EOFError, OSError):
            pass
        self.child.close(force=True)
