"""`python -m publish.build_server KEY`: the warm build server (publish.daemon.server) running
the command line's own builds; here so that neither of the two imports the other."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from publish.cli import main as command_line
from publish.daemon import server


def build(argv: Sequence[str]) -> int:
    """One `publish build` in a child of the server: never handed over again."""
    return command_line(argv, hand_over=False)


if __name__ == "__main__":
    sys.exit(server.main(sys.argv[1:], build))
