"""Every edition of every golden manuscript against its golden files, so any change to the
markup shows as a diff in review; `make golden` rewrites them on purpose."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import GOLDEN_CHANGED
from support import (
    EXPECTED,
    UPDATE_HINT,
    edition_names,
    edition_texts,
    inputs,
    manuscripts,
    mismatches,
    remove,
    rewrite,
    stale,
)

Record = Callable[[str, object], None]  # pytest's `record_property` fixture
CASES = [(stem, edition) for stem in manuscripts() for edition in edition_names()]


def updating(config: pytest.Config) -> bool:
    """Whether this run rewrites the golden files instead of comparing with them."""
    return bool(config.getoption("update_golden"))


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=[f"{s}-{e}" for s, e in CASES])
def test_edition_matches_its_golden_files(
    stem: str, edition: str, request: pytest.FixtureRequest,
    record_property: Record,
) -> None:
    book, options = inputs(manuscripts()[stem])
    texts = edition_texts(book, edition, options)
    folder = EXPECTED / stem / edition
    if updating(request.config):
        for line in rewrite(folder, texts):
            record_property(GOLDEN_CHANGED, line)
        return
    found = mismatches(folder, texts)
    if found:
        pytest.fail("\n\n".join([*found, UPDATE_HINT]), pytrace=False)


def test_no_golden_files_without_a_case(
    request: pytest.FixtureRequest, record_property: Record,
) -> None:
    left = stale(CASES)
    if updating(request.config):
        for path in left:
            record_property(GOLDEN_CHANGED, remove(path))
        return
    if left:
        names = ", ".join(str(path.relative_to(EXPECTED)) for path in left)
        pytest.fail(f"golden files of no manuscript or edition: {names}\n{UPDATE_HINT}",
                    pytrace=False)
