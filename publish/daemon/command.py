"""`publish daemon start|status|stop`: the user's warm build servers, seen and managed."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from publish.daemon import client

_START_SECONDS = 120.0  # a server warms up in a few seconds; a loaded machine is slower


def add_parser(commands: Any) -> None:
    """The `daemon` command's arguments."""
    daemon = commands.add_parser("daemon", help="the warm build server that takes "
                                 "`publish build` (start, status, stop)")
    daemon.add_argument("action", choices=("start", "status", "stop"),
                        help="start one for this installation and wait until it is warm; "
                             "list the running ones; stop them all")


def run(args: argparse.Namespace) -> int:
    """Run the action the arguments name."""
    if args.action == "start":
        return _start()
    if args.action == "stop":
        return _stop()
    return _status()


def _start() -> int:
    """Start a server in the background (unless one runs) and wait until it answers."""
    key = client.server_key()
    try:
        client.runtime_folder()
    except OSError as error:
        print(f"publish: error: no build server: {error}", file=sys.stderr)
        return 1
    server = client.start_in_background()
    deadline = time.monotonic() + _START_SECONDS
    while (answer := client.ask(key, "status")) is None:
        failed = server is not None and server.poll() not in (None, 0)  # 0: another one
        if failed or time.monotonic() > deadline:
            print(f"publish: error: the build server did not start; see "
                  f"{client.runtime_folder() / f'build-{key}.log'}", file=sys.stderr)
            return 1
        time.sleep(0.1)
    print(f"build server ready (pid {answer['pid']}); it quits after "
          f"{answer['quits_after']:g} s without a build")
    return 0


def _status() -> int:
    """One line per running server; 1 when none runs."""
    current = client.server_key()
    found = 0
    for key in client.running_keys():
        answer = client.ask(key, "status")
        if answer is None:
            continue
        found += 1
        which = "this installation" if key == current else "another installation or setting"
        print(f"pid {answer['pid']}: {answer['builds']} builds, {answer['running']} running, "
              f"idle {answer['idle_seconds']:g} s ({which})")
    if not found:
        print("no build server is running")
    return 0 if found else 1


def _stop() -> int:
    """Ask every server of this user to stop; running builds finish first."""
    stopped = [answer["stopping"] for key in client.running_keys()
               if (answer := client.ask(key, "stop")) is not None]
    deadline = time.monotonic() + 10
    while any(client.alive(pid) for pid in stopped) and time.monotonic() < deadline:
        time.sleep(0.05)
    print(f"stopped {len(stopped)} build server{'s' * (len(stopped) != 1)}")
    return 0
