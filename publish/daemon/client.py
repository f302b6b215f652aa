"""Handing a `publish build` to the user's warm build server, and starting one for next time.

Only the standard library is imported here: the command line pays for this module on every
build, with or without a server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
STYLES = PACKAGE.parent / "styles"
# What a warm process may have read before a build asked for it (its caches' folders,
# fontconfig, the interpreter's own settings, the tools it runs): a caller whose values
# differ gets a server of its own rather than one that read other values.
SHAPING_ENV = ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "TMPDIR",
               "FONTCONFIG_FILE", "FONTCONFIG_PATH", "PYTHONPATH", "PYTHONHASHSEED", "LANG",
               "LC_ALL", "LC_CTYPE", "PATH", "VAL_HOME")
SWITCH = "PUBLISH_DAEMON"  # "0": never a server; "1": one is started even under CI
_LINE_LIMIT = 1 << 20  # a request or answer line longer than this is refused
_ANSWER_SECONDS = 10.0
_FOLDER_LIMIT = 107 - len("/build-01234567890123456789.sock")  # a socket's path: 107 bytes


class ServerGone(Exception):
    """The server ended before it took the build: the caller builds in its own process."""


def usable(refused: bool) -> bool:
    """Whether this build may go to a running server: not with `--no-daemon` or
    PUBLISH_DAEMON=0."""
    return not refused and os.environ.get(SWITCH, "").strip() != "0"


def starts_itself(refused: bool) -> bool:
    """Whether a build starts a server for the next one: as `usable`, but not on a CI
    machine unless PUBLISH_DAEMON=1 (a background process outliving the job would keep a
    runner waiting); one started there with `publish daemon start` is still used."""
    switch = os.environ.get(SWITCH, "").strip()
    return usable(refused) and (switch == "1" or not os.environ.get("CI"))


def server_key() -> str:
    """What a server must share with its caller: the settings (below), our code and styles,
    and the installed packages (their folders change when pip installs)."""
    digest = hashlib.sha256(settings().encode())
    for folder in (PACKAGE, STYLES):
        for path in sorted(folder.rglob("*")):
            if "__pycache__" not in path.parts and path.is_file():
                info = path.stat()
                digest.update(f"{path}:{info.st_mtime_ns}:{info.st_size}\0".encode())
    for entry in sys.path:  # the package folders, not the script's own, which differs
        if not entry.endswith(("site-packages", "dist-packages")):
            continue
        with contextlib.suppress(OSError):
            digest.update(f"{entry}:{os.stat(entry).st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def settings() -> str:
    """The interpreter, this installation, the user and SHAPING_ENV: a server with the same
    settings and another key was started for older code, and the newer one retires it."""
    digest = hashlib.sha256()
    for part in (sys.executable, sys.version, str(PACKAGE), str(os.getuid()),
                 *(f"{name}={os.environ.get(name, '')}" for name in SHAPING_ENV)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()[:20]


def runtime_folder() -> Path:
    """The user's own folder for servers' sockets: `$XDG_RUNTIME_DIR/publish`, else
    `/tmp/publish-<uid>`; made private, and refused if another user owns it."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "publish" if base and Path(base).is_dir() else \
        Path("/tmp") / f"publish-{os.getuid()}"
    if len(str(folder)) > _FOLDER_LIMIT:
        raise PermissionError(f"{folder} is too long a path for a socket")
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{folder} is not a private folder of this user")
    return folder


def socket_path(key: str) -> Path:
    """Where the server for `key` listens."""
    return runtime_folder() / f"build-{key}.sock"


def hand_over(argv: Sequence[str]) -> int | None:
    """Run `publish build` with these arguments in the warm server, with this process's
    terminal, folder and environment; its exit code, or None when no server took it."""
    try:
        request = {"build": list(argv), "cwd": os.getcwd(), "env": dict(os.environ),
                   "umask": _umask(), "encodings": [_encoding(sys.stdout), _encoding(sys.stderr)]}
        connection = _connect(socket_path(server_key()))
    except OSError:
        return None
    with connection:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        try:
            send(connection, request, fds=[0, 1, 2])
            child = int(receive(connection)["pid"])
            send(connection, {"go": True})  # from here on the build is the server's
        except (OSError, ServerGone, KeyError, ValueError):
            return None  # the child, if any, waits for "go" in vain and builds nothing
        except KeyboardInterrupt:  # closing the connection ends the build, if it started
            return 130
        connection.settimeout(None)  # a build takes what it takes
        with _forwarding_signals(child):
            try:
                return int(receive(connection)["exit"])
            except (OSError, ServerGone, KeyError, ValueError):
                print("publish: the build server ended during the build; run again with "
                      "--no-daemon to build in this process", file=sys.stderr)
                return 70


def ask(key: str, question: str) -> dict[str, Any] | None:
    """A running server's answer to `status` or `stop`; None when none listens."""
    try:
        connection = _connect(socket_path(key))
    except OSError:
        return None
    with connection:
        try:
            send(connection, {question: True})
            return receive(connection)
        except (OSError, ServerGone, ValueError):
            return None


def start_in_background() -> subprocess.Popen[bytes] | None:
    """Start a server for this caller, detached, unless one runs: it warms up on its own
    time and takes the next build (this one is done by then). The process, if started."""
    key = server_key()
    if ask(key, "status") is not None:
        return None
    try:
        return subprocess.Popen([sys.executable, "-m", "publish.build_server", key],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                close_fds=True)
    except OSError:
        return None


def running_keys() -> list[str]:
    """The keys of the sockets in the user's folder (live servers and stale sockets)."""
    try:
        folder = runtime_folder()
    except OSError:
        return []
    return sorted(p.name[len("build-"):-len(".sock")] for p in folder.glob("build-*.sock"))


def _connect(path: Path) -> socket.socket:
    """A connection to the socket at `path`; a server that does not answer within
    _ANSWER_SECONDS counts as none (a stopped process keeps its socket)."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(_ANSWER_SECONDS)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        raise
    return connection


def send(connection: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """One JSON line, with file descriptors passed alongside when given."""
    data = json.dumps(message).encode("utf-8", "surrogateescape") + b"\n"
    if fds:
        rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, bytes(_fd_array(fds)))]
        sent = connection.sendmsg([data], rights)
        data = data[sent:]
    connection.sendall(data)


def receive(connection: socket.socket, start: bytes = b"") -> dict[str, Any]:
    """One JSON line, after `start` (what was read with it already); ServerGone when the
    other side closed first."""
    line = bytearray(start)
    while not line.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            raise ServerGone
        line += chunk
        if len(line) > _LINE_LIMIT:
            raise ValueError("message too long")
    message: dict[str, Any] = json.loads(line.decode("utf-8", "surrogateescape"))
    return message


def _fd_array(fds: Sequence[int]) -> Any:
    """File descriptors as the C ints SCM_RIGHTS carries."""
    import array

    return array.array("i", fds)


@contextlib.contextmanager
def _forwarding_signals(child: int) -> Iterator[None]:
    """Ctrl-C and hang-ups reach the whole build, as they would in this process; SIGTERM
    its main process, which ends its workers itself."""
    def forward(number: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if number == signal.SIGTERM:
                os.kill(child, number)
            else:
                os.killpg(child, number)

    caught = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, forward) for number in caught}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _umask() -> int:
    """This process's umask (read by setting it, then put back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _encoding(stream: Any) -> list[str]:
    """A text stream's encoding and error handler, for the child to write as we would."""
    return [getattr(stream, "encoding", None) or "utf-8",
            getattr(stream, "errors", None) or "strict"]


def alive(pid: int) -> bool:
    """Whether a process of ours with this pid still runs (a zombie counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as status:
            return status.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
