"""Writing outputs so that a failed or killed build never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def remove_stale_parts(target: Path) -> None:
    """Delete temporary files a killed build left beside `target`."""
    for stale in target.parent.glob(f".{target.name}.*.part"):
        stale.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename: no half-written outputs."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
