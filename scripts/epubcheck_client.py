"""epubcheck-batch's short way: hand the books to the warm EPUBCheck listening on
$EPUBCHECK_SOCKET (EpubcheckBatch --serve) instead of starting Java again (5 s of CPU).
Exit 0 when it has checked them, 1 when it stopped answering, 75 when there is none to ask
(the caller then starts Java itself)."""

import os
import socket
import sys

UNREACHABLE = 75


def main(arguments: list[str]) -> int:
    """Send every EPUB and report path, absolute, and wait for the checker's answer."""
    if not arguments or len(arguments) % 2:
        print("usage: epubcheck-batch EPUB REPORT.json [EPUB REPORT.json ...]", file=sys.stderr)
        return 2
    paths = [os.path.abspath(path) for path in arguments]
    if any("\t" in path or "\n" in path for path in paths):
        return UNREACHABLE  # not sayable in a request line: Java takes them as arguments
    request = "".join(f"{paths[at]}\t{paths[at + 1]}\n" for at in range(0, len(paths), 2))
    with socket.socket(socket.AF_UNIX) as checker:
        try:
            checker.connect(os.environ["EPUBCHECK_SOCKET"])
        except OSError:
            return UNREACHABLE
        checker.sendall((request + "\n").encode("utf-8"))
        answer = checker.makefile("rb").read()
    if answer != b"done\n":
        print("epubcheck-batch: the warm EPUBCheck stopped before answering", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
