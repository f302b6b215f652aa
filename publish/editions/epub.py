"""The EPUB 3 edition: one content document per division, its page-list from the print page
map, accessibility metadata derived from the content."""

from publish.editions import Check, Edition, register
from publish.identifiers import book_identifier
from publish.options import Options


def certifier_report(options: Options) -> str:
    """The check report it may carry for a book that asks to be certified."""
    return options.certifier_report or ""


EPUB = register(Edition(
    name="epub",
    suffix=".epub",
    layer="epub",
    render="publish.epub.render:render_epub",
    options_key=certifier_report,
    needs_page_map=True,
    identifier=book_identifier,
    checks=(Check("publish.check.epub:epubcheck", batch="publish.check.epub:epubcheck_all"),
            Check("publish.check.epub:ace", batch="publish.check.epub:ace_all"),
            Check("publish.check.pagesource:page_source")),
    semantics="publish.check.epubtree:read_semantics",
    words="publish.check.words:epub_words",
    whole_text=True,
    certifiable=True,
    env=("SOURCE_DATE_EPOCH",),  # its modification date
))
