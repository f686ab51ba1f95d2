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
