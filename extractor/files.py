"""Writing a file so that a reader never sees half of it: into a temporary file beside it, then renamed over.

A crash, a full disk or a concurrent writer leaves either the old file or the new one, never a torn one, and
no temporary file behind (each writer has its own, so two writers of one path do not collide).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `path`, creating its directory; raises OSError with nothing left
    behind when the write fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
