"""The print page map shared between the jobs of one manuscript: the EPUB and large-print
jobs carry print's page numbers, and when the print job of the same manuscript and options
is being laid out on another worker, waiting for the page map it keeps in the manuscript's
notes costs less than laying print out a second time. The wait is bounded, and ends as soon
as the print job is neither running nor just queued, so a print worker killed or a print job
nobody has taken never stalls the job: it then lays print out itself, as before.

A waiting job holds a worker process, so while a job new to the queue waits for one (the
large-print job sent just after the EPUB job, another title), the waiting job steps aside:
it goes back to the end of the queue and the new job takes its place. It does so only while
the queue is short (`SHORT_QUEUE` messages), so that it never goes behind a long batch and
its title stays among the first done; a few times at most; and never for a job that stepped
aside itself (two would only swap)."""

from __future__ import annotations

import contextlib
import json
import time

import redis

from publish.cache import edition_key
from publish.editions import Edition, page_map_maker
from publish.model import Book
from publish.options import Options
from publish.service.jobs import QUEUED, RUNNING, States, job_id
from publish.service.store import Store
from publish.service.sweeper import QUEUE

SHARED, LAID_OUT = "shared", "laid out"  # where a job's print page map came from
_TAKEN_WITHIN = 2.0  # seconds a print job sent with this one may stay queued before a worker
_POLL = 0.02  # takes it (the requests of one client arrive together; the queue is in order)
STEP_ASIDE_TIMES = 3  # a job steps aside at most this often, then waits where it is
SHORT_QUEUE = 4  # messages waiting, at most, for a job to step aside behind them


class StepAside(Exception):
    """The job would only wait for the page map while a new job waits for its worker."""


def print_pages(store: Store, states: States, manuscript: str, book: Book, edition: Edition,
                options: Options, longest: float, may_step_aside: bool) -> str | None:
    """For an edition that carries print's page numbers, SHARED once the manuscript's notes
    hold the print page map for these options (waiting up to `longest` seconds for the
    print job laying it out), else LAID_OUT: the build lays print out itself. None for an
    edition that needs no page map. StepAside, if it may, when a new job waits meanwhile."""
    if not edition.needs_page_map:
        return None
    maker = page_map_maker()
    key = edition_key(book, maker.name, options)
    printing = job_id(manuscript, maker, options)
    started = time.monotonic()
    while not store.has_page_map(manuscript, book.stem, key):
        waited = time.monotonic() - started
        if waited > longest or not _laying_out(states, printing, waited):
            noted = store.has_page_map(manuscript, book.stem, key)  # kept as it ended
            return SHARED if noted else LAID_OUT
        if may_step_aside and _new_job_next(states.client):
            raise StepAside
        time.sleep(_POLL)
    return SHARED


def _new_job_next(client: redis.Redis) -> bool:
    """Whether the message a free worker would take next (kombu takes from the list's
    right end) is a job's first sending, not one that stepped aside, in a short queue."""
    with client.pipeline(transaction=False) as pipe:
        pipe.llen(QUEUE)
        pipe.lindex(QUEUE, -1)
        waiting, raw = pipe.execute()
    if raw is None or waiting > SHORT_QUEUE:
        return False
    with contextlib.suppress(ValueError, KeyError, TypeError):
        return int(json.loads(raw)["headers"]["retries"]) == 0
    return False


def _laying_out(states: States, printing: str, waited: float) -> bool:
    """Whether the print job is running, or queued so recently that a worker may be taking
    it (a print job queued behind busy workers is not waited for: nothing lays it out)."""
    state = states.get(printing)
    status = state["status"] if state else None
    return status == RUNNING or (status == QUEUED and waited < _TAKEN_WITHIN)
