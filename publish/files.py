"""Writing outputs so that a failed or killed build never leaves a half-written file, and a
build's editions change together or not at all."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path


def remove_stale_parts(target: Path) -> None:
    """Delete temporary files (and unpacked folders) a killed build left beside `target`."""
    for stale in target.parent.glob(f".{target.name}.*.part"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename: no half-written outputs."""
    write_together({target: data})


def write_together(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary name beside it, and rename them only once all are
    written: a full disk or an interruption leaves every target as it was."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
    except BaseException:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)


def _stage(target: Path, data: bytes) -> Path:
    """`data` written and synced to a temporary file beside `target` (removed on failure)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def stage_folder(data: bytes, folder: Path) -> Path:
    """Unpack a zip into a temporary folder beside `folder` (removed on failure), never
    letting a member land outside it; `swap_in` then puts it in place."""
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                    suffix=".part"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                target = (staging / member.filename).resolve()
                if member.is_dir() or not target.is_relative_to(staging.resolve()):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_in(staging: Path, folder: Path) -> None:
    """Replace `folder` by a staged one: two renames, which need no space."""
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)
