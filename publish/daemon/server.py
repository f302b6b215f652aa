"""The warm build server: loads the renderers and renders a small book once, then forks a
child per `publish build` handed to it. The child takes the caller's terminal (its file
descriptors, passed over the socket), folder, umask and environment and runs the command
line's own code, so a build behaves as it would in the caller's process, only without the
second of imports and font loading. Only the user who started it may connect; it quits
after PUBLISH_DAEMON_IDLE seconds (default 600) without a build, or when asked to.

Started as `python -m publish.build_server KEY`, which gives it the command line to run.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import gc
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from publish.daemon.client import (
    PACKAGE,
    ServerGone,
    ask,
    receive,
    running_keys,
    runtime_folder,
    send,
    server_key,
    settings,
    socket_path,
)

IDLE_SECONDS = 600.0
_CREDENTIALS = struct.Struct("3i")  # SO_PEERCRED: the caller's pid, uid and gid
Build = Callable[[Sequence[str]], int]  # `publish build` with these arguments: its exit code


class _Stop(Exception):
    """Asked to stop (SIGTERM or a `stop` request): no new build is taken."""


class Server:
    """The listening socket and the builds forked from it."""

    def __init__(self, listener: socket.socket, path: Path, key: str, idle: float,
                 build: Build) -> None:
        self.listener, self.path, self.key, self.idle = listener, path, key, idle
        self.build = build
        self.children: set[int] = set()
        self.builds = 0
        self.last = time.monotonic()
        self.started = time.time()

    def run(self) -> None:
        """Answer callers until idle for too long or stopped; the socket goes first, so a
        late caller builds in its own process rather than waiting on a closing server."""
        self.listener.settimeout(1.0)
        try:
            while self.children or time.monotonic() - self.last < self.idle:
                self._reap()
                try:
                    connection, _address = self.listener.accept()
                except TimeoutError:
                    continue
                with connection:
                    self._answer(connection)
        except _Stop:
            pass
        finally:
            self.path.unlink(missing_ok=True)
            self.listener.close()

    def _reap(self) -> None:
        """Forget the builds that ended (their exit codes went to their callers)."""
        for child in list(self.children):
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(child, os.WNOHANG)[0] == 0:
                    continue
            self.children.discard(child)
            self.last = time.monotonic()

    def _answer(self, connection: socket.socket) -> None:
        """One caller: a build (forked), `status` or `stop`; another user's call is closed."""
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                            _CREDENTIALS.size)
        if _CREDENTIALS.unpack(credentials)[1] != os.getuid():
            return
        connection.settimeout(10.0)
        try:
            request, fds = _request(connection)
        except (OSError, ServerGone, ValueError):
            return
        try:
            if "build" in request and len(fds) == 3:
                self._fork(connection, request, fds)
            elif "stop" in request:
                send(connection, {"stopping": os.getpid()})
                raise _Stop
            else:
                send(connection, self._status())
        finally:
            for fd in fds:
                os.close(fd)

    def _fork(self, connection: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        """Run the build in a child of this warm process."""
        child = os.fork()
        if child == 0:
            connection.settimeout(None)
            _build_in_child(self.listener, connection, request, fds, self.build)
        self.children.add(child)
        self.builds += 1
        self.last = time.monotonic()

    def _status(self) -> dict[str, Any]:
        """What `publish daemon status` shows."""
        return {"pid": os.getpid(), "key": self.key, "settings": settings(),
                "builds": self.builds,
                "running": len(self.children), "since": self.started,
                "idle_seconds": round(time.monotonic() - self.last, 1),
                "quits_after": self.idle}


def _request(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The caller's JSON line and the file descriptors sent with it."""
    fds = array.array("i")
    data, ancillary, _flags, _address = connection.recvmsg(
        65536, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    try:
        request = receive(connection, data)
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, list(fds)


def _build_in_child(listener: socket.socket, connection: socket.socket,
                    request: dict[str, Any], fds: list[int], build: Build) -> NoReturn:
    """Become the caller's `publish build` and send back its exit code."""
    code = 70
    try:
        listener.close()
        os.setpgid(0, 0)  # the caller signals the build and its workers as one group
        for number in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if not _caller_waits(connection):  # it gave up and builds by itself
            os._exit(0)
        _take_streams(fds, request["encodings"])
        try:
            os.chdir(request["cwd"])
        except OSError as error:  # removed since the caller asked: as the CLI says it
            print(f"publish: error: the current folder {request['cwd']} cannot be entered "
                  f"({error.strerror})", file=sys.stderr)
            raise SystemExit(1) from None
        os.umask(int(request["umask"]))
        os.environ.clear()
        os.environ.update(request["env"])
        _end_with_caller(connection)
        code = build(request["build"])
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 2
    except BaseException:  # whatever it was, the caller gets a code
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            send(connection, {"exit": code})
        os._exit(code)


def _caller_waits(connection: socket.socket) -> bool:
    """Tell the caller this child's pid; whether it answers that the build is ours."""
    try:
        send(connection, {"pid": os.getpid()})
        return bool(receive(connection).get("go"))
    except (OSError, ServerGone, ValueError):
        return False


def _take_streams(fds: list[int], encodings: list[list[str]]) -> None:
    """The caller's standard input, output and error as ours, written as it would write."""
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
    sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    (out_encoding, out_errors), (err_encoding, err_errors) = encodings
    sys.stdout = open(1, "w", 1 if os.isatty(1) else -1, out_encoding,  # noqa: SIM115
                      out_errors, closefd=False)
    sys.stderr = open(2, "w", 1, err_encoding, err_errors, closefd=False)  # noqa: SIM115


def _end_with_caller(connection: socket.socket) -> None:
    """A caller that goes away (killed, its terminal closed) ends the build, as SIGTERM
    would end it in the caller's own process."""
    def wait() -> None:
        with contextlib.suppress(OSError):
            while connection.recv(1):
                pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, name="caller", daemon=True).start()


def _warm() -> None:
    """Load what every build needs and render every edition of a small book once, then keep
    those objects out of the collector's way (a child's collection would otherwise copy
    every page the server shares with it)."""
    from publish import cache, quick  # noqa: F401 - loaded here, shared by every child
    from publish.build import load_renderers
    from publish.editions import EDITIONS
    from publish.lint import command  # noqa: F401
    from publish.progress import Progress  # noqa: F401
    from publish.service.warm import warm_up

    load_renderers()
    warm_up()
    for styles in cache.style_folders(EDITIONS, PACKAGE.parent):  # hashed for every key
        cache.folder_hash(styles)
    gc.collect()
    gc.freeze()


def _retire_older(key: str) -> None:
    """Stop the servers started for this installation's older code (same settings, another
    key): no caller will reach them again, and each holds a warm process's memory."""
    mine = settings()
    for other in running_keys():
        answer = None if other == key else ask(other, "status")
        if answer is not None and answer.get("settings") == mine:
            ask(other, "stop")


def _log_to(folder: Path, key: str) -> None:
    """The server's own messages (the warm-up's warnings) go to a log beside its socket."""
    log = os.open(folder / f"build-{key}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 2)
    os.close(log)


def main(argv: list[str], build: Build) -> int:
    """Serve the builds of callers with this key, unless another server already does."""
    key = argv[0] if argv else server_key()
    folder = runtime_folder()
    lock = open(folder / f"build-{key}.lock", "w")  # noqa: SIM115 - held until the end
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another server for this key is warming up or serving
    if server_key() != key:
        return 1  # the code or the packages changed since the caller asked
    _log_to(folder, key)

    def stop(_signal: int, _frame: object) -> None:
        raise _Stop

    signal.signal(signal.SIGTERM, stop)
    try:
        _warm()
        path = socket_path(key)
        path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(path))
        os.chmod(path, 0o600)
        listener.listen(16)
    except _Stop:
        return 0
    _retire_older(key)
    idle = float(os.environ.get("PUBLISH_DAEMON_IDLE") or IDLE_SECONDS)
    Server(listener, path, key, idle, build).run()
    return 0
