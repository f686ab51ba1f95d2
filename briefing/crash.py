"""What happens when brief itself fails: the traceback goes to a log file, the user gets one line
naming it, and the exit code (4) says "brief failed", never "some inputs were skipped" (1)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from . import __version__

CRASH_EXIT_CODE = 4


def crash_log_dir() -> Path:
    """$XDG_CACHE_HOME/brief/logs, else ~/.cache/brief/logs (beside the summary cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "brief" / "logs"


def write_crash_log(exc: BaseException) -> Path | None:
    """Write the traceback of `exc` to a new log file; its path, or None when nowhere was writable."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = f"brief {__version__}, Python {sys.version.split()[0]}\ncommand: {' '.join(sys.argv)!r}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    for folder in (crash_log_dir(), Path(tempfile.gettempdir())):
        path = folder / f"brief-crash-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        return path
    return None


# 128 + SIGPIPE: what a shell reports for a tool whose reader went away (`brief build | head -1`).
CLOSED_OUTPUT_EXIT_CODE = 141


def _closed_pipe(fd: int) -> bool:
    """A pipe (or socket) whose reading end is gone: poll says POLLERR or POLLHUP for it."""
    import select

    if not hasattr(select, "poll"):  # Windows: no poll; a failed write there is no EPIPE anyway
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))


def _output_fds() -> list[int]:
    fds = []
    for stream in (sys.stdout, sys.stderr):
        try:
            fds.append(stream.fileno())
        except (AttributeError, OSError, ValueError):  # replaced by a test runner, or closed
            continue
    return fds


def output_closed() -> bool:
    """Whether a BrokenPipeError came from our own stdout or stderr, not from a socket (SMTP)."""
    return any(_closed_pipe(fd) for fd in _output_fds())


def silence_closed_output() -> None:
    """Point our closed stdout/stderr at /dev/null, so that Python's final flush of what is still
    buffered does not fail once more ("Exception ignored … BrokenPipeError") on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in _output_fds():
            if _closed_pipe(fd):
                os.dup2(devnull, fd)
    finally:
        os.close(devnull)
