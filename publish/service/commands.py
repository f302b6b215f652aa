"""`publish serve`, `publish worker` and `publish token`: the service's commands, imported
only when one of them runs."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path("publish-data")


def run(args: argparse.Namespace) -> int:
    """Run the service command the arguments name."""
    if args.command == "token":
        return _token(args)
    if args.command == "worker":
        return _worker(args)
    return _serve(args)


def _token(args: argparse.Namespace) -> int:
    """Create, list or revoke tokens; a new token is printed alone on the last line."""
    from publish.service.tokens import Tokens

    tokens = Tokens(args.data)
    if args.action == "create":
        try:
            secret = tokens.create(args.name)
        except ValueError as invalid:
            print(f"publish: error: {invalid}", file=sys.stderr)
            return 2
        print(f"a new token for {args.name}; it is shown once, keep it safe:")
        print(secret)
        return 0
    if args.action == "list":
        for token in tokens.all():
            made = time.strftime("%Y-%m-%d %H:%M", time.gmtime(token.created))
            print(f"{token.ident}  {token.owner}  {made} UTC")
        return 0
    gone = tokens.revoke(args.name)
    print(f"revoked {gone} token{'s' * (gone != 1)}")
    return 0 if gone else 1


def _worker(args: argparse.Namespace) -> int:
    """A Celery worker on the broker, building into the shared data folder."""
    from publish.service.warm import warm_up
    from publish.service.worker import worker_app

    warm_up()  # before Celery forks its pool: every job's renderer starts warm
    app = worker_app(args.broker, args.data.resolve())
    app.worker_main(["--quiet", "worker", "--loglevel=WARNING",
                     f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle",
                     f"--hostname=publish-{os.getpid()}@%h"])
    return 0


def _serve(args: argparse.Namespace) -> int:
    """The API on uvicorn; without `--broker` a private Redis and local workers too, all
    stopped when the server stops (Ctrl-C or SIGTERM)."""
    data = args.data.resolve()
    # uvicorn ends on SIGTERM by raising it again once it has stopped: as an exception here,
    # it stops the workers and Redis below rather than ending the process at once
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        _run_server(args, data)
    except KeyboardInterrupt:
        return 130
    except RuntimeError as failed:  # Redis missing or not starting: said in one line
        print(f"publish: error: {failed}", file=sys.stderr)
        return 1
    return 0


def _run_server(args: argparse.Namespace, data: Path) -> None:
    """Start what the server needs, serve, and stop it all in reverse order however the
    server ends."""
    import uvicorn

    from publish.service.app import create_app
    from publish.service.embedded import private_redis, start_workers, stop
    from publish.service.tokens import Tokens

    with contextlib.ExitStack() as stack:
        broker = args.broker or stack.enter_context(private_redis(data / "redis"))
        count = args.workers if args.workers is not None else \
            (0 if args.broker else os.cpu_count() or 1)
        if count:
            workers = start_workers(broker, data, count)
            stack.callback(stop, workers)
        app = create_app(data, broker, args.max_in_flight)
        print(f"publish: serving http://{args.host}:{args.port} (data {data}, broker "
              f"{broker}, {count} local worker process{'es' * (count != 1)})", flush=True)
        if not Tokens(data).all():
            print(f"publish: no token yet: make one to sign in to the page with "
                  f"`publish token create YOUR-NAME --data {data}`", flush=True)
        uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port,
                                      log_level="warning")).run()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The service's subcommands, declared without importing any of their code."""
    serve = commands.add_parser("serve", help="the build service's HTTP API (and, without "
                                "--broker, its own Redis and workers)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    _data(serve)
    serve.add_argument("--broker", default=None, metavar="URL",
                       help="a Redis URL (redis://host:port/0, unix:///path.sock); default: "
                            "start a private redis-server on a socket under DATA")
    serve.add_argument("--workers", type=int, default=None, metavar="N",
                       help="local worker processes (default: the number of cores; none "
                            "with --broker)")
    serve.add_argument("--max-in-flight", type=int, default=8, metavar="N",
                       help="jobs a token may have queued or running (default: 8)")
    worker = commands.add_parser("worker", help="a build worker on a broker and data folder")
    worker.add_argument("--broker", required=True, metavar="URL")
    _data(worker)
    worker.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, metavar="N")
    token = commands.add_parser("token", help="create, list or revoke API tokens")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new token for an owner, printed once")
    create.add_argument("name", help="the owner: its tokens share its manuscripts")
    _data(create)
    _data(actions.add_parser("list", help="every token's id, owner and date"))
    revoke = actions.add_parser("revoke", help="remove tokens by id (6+ digits) or owner")
    revoke.add_argument("name", metavar="ID-OR-OWNER")
    _data(revoke)


def _data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help=f"the service's data folder (default: ./{DEFAULT_DATA})")
