"""The judge's side of the pipe to its runner: length-prefixed frames, with deadlines.

Nothing read here is trusted: a frame over the cap, a closed pipe or silence past the
deadline all end the conversation as `ChildGone`.
"""

from __future__ import annotations

import os
import select
import time

from drill.judge._runner import FRAME_CAP


class ChildGone(Exception):
    """The runner died or went silent; `timeout` tells which."""

    def __init__(self, timeout: bool) -> None:
        super().__init__("timeout" if timeout else "gone")
        self.timeout = timeout


class Channel:
    """Frames to and from one runner's pipes; `deadline` bounds every write."""

    def __init__(self, to_child: int, from_child: int, deadline: float) -> None:
        self.to_child = to_child
        self.from_child = from_child
        self.deadline = deadline
        self._buf = bytearray()
        # Writes go straight out while the pipe has room (a case is one write, no select
        # first: each call into the kernel gives up the GIL, which judging's `meanwhile`
        # thread may then hold for a while), and wait in select only when it is full.
        os.set_blocking(to_child, False)

    def send(self, data: bytes) -> None:
        frame = len(data).to_bytes(4, "big") + data
        view = memoryview(frame)
        fd = self.to_child
        while view:
            try:
                view = view[os.write(fd, view[: 1 << 16]):]
                continue
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                raise ChildGone(timeout=False) from None
            if not select.select([], [fd], [], max(0.0, self.deadline - time.monotonic()))[1]:
                raise ChildGone(timeout=True)

    def frame(self, deadline: float) -> bytes:
        """The next whole frame, read by `deadline` at the latest."""
        buf = self._buf
        fd = self.from_child
        while True:
            if len(buf) >= 4:
                n = int.from_bytes(buf[:4], "big")
                if n > FRAME_CAP:
                    raise ChildGone(timeout=False)
                if len(buf) >= 4 + n:
                    data = bytes(buf[4 : 4 + n])
                    del buf[: 4 + n]
                    return data
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise ChildGone(timeout=True)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise ChildGone(timeout=False)
            buf += chunk
