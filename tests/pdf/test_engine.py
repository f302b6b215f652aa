"""The engine's typesetters: the toolkit's stylesheets parsed once per process serve every
later book, and set it exactly as sheets parsed for that book alone would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS

from publish.options import Options
from publish.pdf import engine, render
from publish.readers import read

GOLDEN = Path(__file__).parent.parent / "golden" / "manuscripts"


def _pdfs(book_path: Path) -> tuple[bytes, bytes]:
    """The book's print and large-print PDFs, set in this process."""
    book = read(book_path)
    pages = render.print_page_map(book)
    return (render.render_edition("print", book, Options()).data,
            render.render_edition("large-print", book, Options(print_pages=pages)).data)


def test_sheets_kept_from_another_book_set_a_book_as_its_own_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(engine._SharedSheets, "kept", type(engine._SharedSheets.kept)())
    article = MANUSCRIPTS / "harbour-article.md"
    with monkeypatch.context() as alone:
        alone.setattr(render, "toolkit_sheets_only", lambda _book: False)
        own = _pdfs(article)
    assert not engine._SharedSheets.kept  # nothing was shared
    _pdfs(GOLDEN / "lists.md")  # parses the shared faces for another book first
    kept = {key: len(shared.parsed) for key, shared in engine._SharedSheets.kept.items()}
    assert kept
    assert _pdfs(article) == own
    # the article's faces were taken from the other book's, its own sheets added beside them
    assert {key: len(shared.parsed) for key, shared in engine._SharedSheets.kept.items()} \
        != kept and set(engine._SharedSheets.kept) == set(kept)


def test_a_book_with_a_styles_folder_shares_no_sheet(tmp_path: Path) -> None:
    source = tmp_path / "article"
    source.mkdir()
    shutil.copy(MANUSCRIPTS / "harbour-article.md", source / "article.md")
    assert render.toolkit_sheets_only(read(source / "article.md"))
    (source / "styles" / "print").mkdir(parents=True)  # a template of its own may come here
    assert not render.toolkit_sheets_only(read(source / "article.md"))
