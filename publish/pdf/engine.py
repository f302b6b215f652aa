"""The one door to WeasyPrint and pydyf: every private name of theirs we rely on is here.

Everything else sees laid-out pages through the functions below (their side, blankness,
page counter, folio style, texts, first-page break), so an upgrade of WeasyPrint is an audit
of this module alone. Its private names were read from 70.0 and are checked at import.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import marshal
import os
import shutil
import sys
import tempfile
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pydyf
import pyphen  # type: ignore[import-untyped]  # WeasyPrint's hyphenation, no types
from fontTools.ttLib import TTFont

from publish import user_cache
from publish.errors import BuildError
from publish.pagination import IMAGE, PageMap, countable, is_apart, map_pages, moved_figures
from publish.pdf.libraries import sonames_only
from publish.pdf.repair.source import SOURCE_KEY, Source
from publish.readers.resources import SVG, image_bytes, media_type
from publish.safety import allowed_path
from publish.typefaces.files import folders as font_folders

with sonames_only():  # its C libraries opened by soname: no `ldconfig` or `gcc` runs
    import weasyprint
    import weasyprint.draw
    import weasyprint.pdf
    from weasyprint import CSS, HTML
    from weasyprint.document import Document, Page
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags
    from weasyprint.text.ffi import harfbuzz_subset
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

SUPPORTED = frozenset({"70.0"})  # the versions whose internals this module was read from
if weasyprint.__version__ not in SUPPORTED:
    raise BuildError(
        f"WeasyPrint {weasyprint.__version__} is installed, but publish supports only "
        f"{', '.join(sorted(SUPPORTED))}: reinstall with `pip install -e .` (pyproject pins it)"
    )

# WeasyPrint subsets embedded fonts with HarfBuzz when its subset library loads and with
# fontTools otherwise: the font programs (and some glyphs' pixels) then differ, so a PDF would
# depend on whether the machine happens to have the library (Chromium pulls it in).
if harfbuzz_subset is None:
    raise BuildError(
        "HarfBuzz's font subsetter (Debian's libharfbuzz-subset0) is missing: without it the "
        "PDFs' fonts differ from every other machine's; install it with `make system`"
    )

__all__ = ["Document", "Page", "Typesetter", "load_hyphenation", "write_pdf"]
_FORCED_BREAKS = frozenset({"page", "left", "right", "recto", "verso"})
_PT = 0.75  # points per CSS pixel
# pyphen's dictionaries are rebuilt from the cache by setting the attributes its HyphDict
# has in these versions (patterns, maxlen, cache); another version parses its files itself
_PYPHEN_READ = ("0.17.", "0.18.")


class ManuscriptFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to `data:` URLs and files inside `folders`."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self._folders = folders

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Refuse anything remote or outside the folders before WeasyPrint opens it; an SVG
        is handed over cleaned, as the EPUB carries it."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = allowed_path(url, self._folders)
        if path.is_file() and media_type(path) == SVG:
            return URLFetcherResponse(path.as_uri(), image_bytes(path), {"Content-Type": SVG})
        return super().fetch(path.as_uri(), headers)


_FONT_COPIES = "publish-fonts-"  # + process id + "-": a folder of @font-face copies


class _ProcessFonts(FontConfiguration):
    """WeasyPrint's font configuration, whose copies of the @font-face files (5 MB a book, 50
    MB with CJK faces) live in a folder named for this process: a pool worker exits without
    running finalisers, so the next configuration removes the folders of ended processes."""

    def __init__(self) -> None:
        super().__init__()
        _remove_orphan_font_copies()
        self._owner = os.getpid()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{_FONT_COPIES}{os.getpid()}-"))

    def __del__(self) -> None:
        """Remove the copies only in the process that made them: a renderer forked from a
        warm process shares that process's configurations and must not empty their folder."""
        if os.getpid() == getattr(self, "_owner", None):  # None: its __init__ failed
            super().__del__()


def _remove_orphan_font_copies() -> None:
    """Delete the font-copy folders whose process has ended."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_FONT_COPIES}*-*"):
        owner = folder.name.removeprefix(_FONT_COPIES).split("-", 1)[0]
        if owner.isdigit() and not _process_alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _SharedSheets:
    """The toolkit's own stylesheets, parsed with the font faces they declare, kept by a
    process for every book it sets: a warm worker then skips parsing the CSS and copying
    its fonts (0.05-0.1 s an edition of a short article). Only stylesheets that read
    nothing from a manuscript's folder are kept, so no book sees another's files."""

    _SETS = 4  # sets of font faces kept (print's and large print's, a script or size more)
    _SHEETS = 16  # stylesheets kept per set: most of them differ from book to book

    kept: ClassVar[OrderedDict[tuple[str, ...], _SharedSheets]] = OrderedDict()

    def __init__(self, styles: Path) -> None:
        self.styles = styles
        self.fonts = _ProcessFonts()
        self.fetcher = ManuscriptFetcher((styles, *font_folders()))
        self.parsed: OrderedDict[str, CSS] = OrderedDict()

    @classmethod
    def parse(cls, styles: Path, sheets: Sequence[str]) -> tuple[_ProcessFonts, list[CSS]]:
        """The sheets parsed under one font configuration, kept for the next book whose
        sheets declare the same faces (sheets that declare none may differ)."""
        faces = (str(styles), *(css for css in sheets if "@font-face" in css or "@import" in css))
        shared = cls.kept.pop(faces, None) or cls(styles)
        cls.kept[faces] = shared
        while len(cls.kept) > cls._SETS:
            cls.kept.popitem(last=False)
        return shared.fonts, [shared.sheet(css) for css in sheets]

    def sheet(self, css: str) -> CSS:
        """One stylesheet, parsed now or taken from the last book's."""
        parsed = self.parsed.pop(css, None) or _parse_sheet(css, self.styles, self.fetcher,
                                                           self.fonts)
        self.parsed[css] = parsed
        while len(self.parsed) > self._SHEETS:
            self.parsed.popitem(last=False)
        return parsed


def _parse_sheet(css: str, styles: Path, fetcher: URLFetcher, fonts: FontConfiguration) -> CSS:
    return CSS(string=css, base_url=f"{styles.as_uri()}/", url_fetcher=fetcher,
               font_config=fonts)


class Typesetter:
    """An edition's stylesheets parsed once, with the fonts they load, for every layout of
    its markup (a long book is laid out in chunks; parsing the CSS again costs 0.1 s each).
    `shared`: the sheets are the toolkit's alone, and may be those the process parsed for
    an earlier book."""

    def __init__(self, root: Path, styles: Path, sheets: Sequence[str],
                 shared: bool = False) -> None:
        self.root = root
        self.styles = styles
        self.fetcher = ManuscriptFetcher((root, styles, *font_folders()))
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it ignores: ours is tested
        if shared:
            self.fonts, self.parsed = _SharedSheets.parse(styles, sheets)
        else:
            self.fonts = _ProcessFonts()
            self.parsed = [self._parse(css) for css in sheets]

    def _parse(self, css: str) -> CSS:
        return _parse_sheet(css, self.styles, self.fetcher, self.fonts)

    def lay_out(self, markup: str, extra: Sequence[str] = ()) -> Document:
        """Markup laid out in pages under the edition's stylesheets, then `extra` ones."""
        html = HTML(string=markup, base_url=f"{self.root.as_uri()}/", url_fetcher=self.fetcher)
        return html.render(font_config=self.fonts,
                           stylesheets=[*self.parsed, *map(self._parse, extra)],
                           pdf_variant="pdf/ua-1",
                           presentational_hints=True)  # `<ol start>`, `<li value>` number lists


# WeasyPrint's documented progress logger says this as it makes each page, a second pass's too
_PAGE_MADE = "Step 5 - Creating layout - Page %d"


class _PageCounter(logging.Handler):
    """Calls back with the number of each page WeasyPrint makes."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == _PAGE_MADE and isinstance(record.args, tuple) and \
                isinstance(number := record.args[0], int):
            self.on_page(number)


@contextmanager
def counting_pages(on_page: Callable[[int], None]) -> Iterator[None]:
    """While active, `on_page(n)` runs as each layout makes its page n: the one measure of
    how far a layout has got while it runs."""
    logger = logging.getLogger("weasyprint.progress")
    counter = _PageCounter(on_page)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # its other steps are for nobody
    logger.addHandler(counter)
    try:
        yield
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate


@contextmanager
def counting_painted_pages(on_page: Callable[[int], None]) -> Iterator[None]:
    """While active, `on_page(n)` runs once the PDF writer has drawn its n-th page: how far
    writing a PDF has got (WeasyPrint says nothing while it draws)."""
    original = Page.paint
    painted = 0

    def paint(page: Page, *args: Any, **kwargs: Any) -> None:
        nonlocal painted
        original(page, *args, **kwargs)
        painted += 1
        on_page(painted)

    Page.paint = paint
    try:
        yield
    finally:
        Page.paint = original


def load_hyphenation(language: str) -> None:
    """Load a language's hyphenation patterns now, as a worker waiting for its input can:
    WeasyPrint loads them once a process, in the middle of its first layout. Parsed, they
    are kept in the user's cache: pyphen's parse of the English patterns took 0.1 s, a third
    of the layout of a short article, in every worker of every build."""
    found = pyphen.language_fallback(language)
    if not found:
        return
    path = pyphen.LANGUAGES[found]
    if path not in pyphen.hdcache:  # the dictionaries pyphen (and so WeasyPrint) looks in
        pyphen.hdcache[path] = _hyphenation(Path(str(path)))


def _hyphenation(path: Path) -> Any:
    """A pyphen dictionary, from the user's cache when pyphen is a version read for it."""
    kept_in = user_cache.folder("hyphenation")
    if kept_in is None or not pyphen.__version__.startswith(_PYPHEN_READ) or not path.is_file():
        return pyphen.HyphDict(path)
    stat = path.stat()
    version = f"{pyphen.__version__}\0{sys.version_info[:2]}\0{path}\0{stat.st_size}" \
              f"\0{stat.st_mtime_ns}"
    entry = kept_in / f"{hashlib.sha256(version.encode()).hexdigest()}"
    kept = user_cache.recall(entry)
    with contextlib.suppress(ValueError, EOFError, TypeError):
        patterns, longest = marshal.loads(kept) if kept is not None else (None, None)
        if isinstance(patterns, dict) and isinstance(longest, int):
            dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
            dictionary.patterns, dictionary.maxlen, dictionary.cache = patterns, longest, {}
            return dictionary
    dictionary = pyphen.HyphDict(path)
    # a language with nonstandard hyphenation (Hungarian's) holds objects marshal refuses
    with contextlib.suppress(ValueError):
        user_cache.keep(entry, marshal.dumps((dictionary.patterns, dictionary.maxlen)))
    return dictionary


def write_pdf(document: Document) -> tuple[bytes, list[Source]]:
    """A laid-out document as an uncompressed PDF/UA-1 file (the repair's save compresses
    it once), and the HTML source of each structure element."""
    with recording_sources() as sources, page_references_once(), logical_text():
        pdf: bytes = document.write_pdf(
            pdf_variant="pdf/ua-1", uncompressed_pdf=True, custom_metadata=True,
        )
    return pdf, sources


@contextmanager
def recording_sources() -> Iterator[list[Source]]:
    """While active, WeasyPrint's structure elements carry the index of their source."""
    sources: list[Source] = []
    # By id where the element has one: a document laid out in chunks has an element such as
    # the main-matter wrapper once in each chunk, and the repair joins them as one.
    index: dict[tuple[int | str, str], int] = {}
    original = tags._build_box_tree

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, parent, *args):
            if box.element is not None and SOURCE_KEY[1:] not in element:
                tag, _, pseudo = box.element_tag.partition("::")
                pseudo = "leader" if box.is_leader else pseudo
                key = (box.element.get("id") or id(box.element), pseudo)  # one per chunk
                if key not in index:
                    index[key] = len(sources)
                    sources.append(Source(box.element, tag, pseudo))
                element[SOURCE_KEY[1:]] = index[key]
            yield element

    tags._build_box_tree = build
    try:
        yield sources
    finally:
        tags._build_box_tree = original


@contextmanager
def logical_text() -> Iterator[None]:
    """While active, a text box of Indic or South-East Asian script carries its text as
    `/ActualText`, and each glyph maps to its own character where a cluster's text went to
    another glyph. WeasyPrint maps a glyph to the text of its first use, so Devanagari came
    out with its vowel signs displaced, an Arabic mark took its base letter with it wherever
    it recurred, and a glyph left with no text made a malformed ToUnicode CMap (PDF/UA).
    Right-to-left runs keep their glyphs in visual order, which extraction (poppler, Acrobat)
    reorders itself: an `/ActualText` in logical order is read backwards by poppler."""
    original_draw, original_fonts = weasyprint.draw.draw_text, weasyprint.pdf.build_fonts_dictionary

    def draw_text(stream: Any, textbox: Any, *args: Any) -> None:
        if not needs_actual_text(textbox.text):
            original_draw(stream, textbox, *args)
            return
        stream.begin_marked_content("Span", pydyf.Dictionary(
            {"ActualText": pydyf.String(textbox.text)}))
        try:
            original_draw(stream, textbox, *args)
        finally:
            stream.end_marked_content()

    def build_fonts_dictionary(pdf: Any, fonts: dict[str, Any], *args: Any) -> Any:
        for font in fonts.values():
            _map_own_glyphs(font)
        return original_fonts(pdf, fonts, *args)

    weasyprint.draw.draw_text = draw_text
    weasyprint.pdf.build_fonts_dictionary = build_fonts_dictionary
    try:
        yield
    finally:
        weasyprint.draw.draw_text = original_draw
        weasyprint.pdf.build_fonts_dictionary = original_fonts


def needs_actual_text(text: str) -> bool:
    """Whether a run of text, written left to right, has glyphs a font may reorder or merge
    (Indic and South-East Asian scripts)."""
    return any(0x0900 <= ord(ch) <= 0x109F or 0x1780 <= ord(ch) <= 0x17FF for ch in text) \
        and not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _map_own_glyphs(font: Any) -> None:
    """A glyph with no text, or with its cluster's letter and marks, maps to the character
    the font's cmap gives it (in its compatibility form); else to a zero-width space."""
    merged = [glyph for glyph, text in font.to_unicode.items()
              if not text or (len(text) > 1 and any(unicodedata.category(ch) == "Mn"
                                                     for ch in text))]
    if not merged:
        return
    program = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
    reverse = {name: code for code, name in sorted(program.getBestCmap().items(), reverse=True)}
    names = program.getGlyphOrder()
    for glyph in merged:
        code = reverse.get(names[glyph]) if glyph < len(names) else None
        own = unicodedata.normalize("NFKC", chr(code)) if code else ""
        text = font.to_unicode[glyph]
        if not text or (own and own in text):
            font.to_unicode[glyph] = own or "\u200b"


@contextmanager
def page_references_once() -> Iterator[None]:
    """pydyf rebuilds the list of every page reference each time one is asked for, and
    WeasyPrint's tagging asks once per structure element: quadratic in pages (2 s of a
    novel's 6 s write). While active, the list is built once per number of pages."""
    original = pydyf.PDF.page_references
    built: dict[tuple[int, int], tuple[bytes, ...]] = {}

    def once(pdf: Any) -> tuple[bytes, ...]:
        key = (id(pdf), len(pdf.pages["Kids"]))
        if key not in built:
            built[key] = original.fget(pdf)
        return built[key]

    pydyf.PDF.page_references = property(once)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


# ---------------------------------------------------------------- reading laid-out pages


def side(page: Page) -> str:
    """`left` or `right`: the side of the spread the page was laid out as."""
    return str(page._page_box.page_type.side)


def is_blank(page: Page) -> bool:
    """Whether the page is a filler page that a recto opening left empty."""
    return bool(page._page_box.page_type.blank)


def signature(page: Page) -> tuple[object, ...]:
    """A page's name, margins and margin boxes' content rules: a division laid out alone
    begins on a right-hand page, as the whole book set it only if its page has the same."""
    box = page._page_box
    margins = tuple(round(getattr(box, f"margin_{edge}"), 2)
                    for edge in ("top", "right", "bottom", "left"))
    boxes = sorted((child.at_keyword, repr(child.style["content"]))
                   for child in box.children if getattr(child, "at_keyword", None))
    return (box.page_type.name, box.page_type.blank, margins, tuple(boxes))


def breaks_before(page: Page, division_id: str) -> bool:
    """Whether the division's box on this page was set to start a new page."""
    for box in _boxes(page._page_box):
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == division_id:
            return box.style["break_before"] in _FORCED_BREAKS
    return False


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@dataclass(frozen=True, slots=True)
class Extent:
    """Where an element's block or image boxes lie on one page, CSS px from its top."""

    page: int
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Room:
    """A page's text block from `top` to `foot` (above its footnotes), and the bottom of
    its lowest line, image or rule (None for a page with nothing in its flow)."""

    top: float
    foot: float
    lowest: float | None


def laid_out_root(document: Document) -> Any:
    """The root of the HTML element tree the document was laid out from."""
    return document.pages[0]._page_box.children[0].element


def extents(document: Document) -> dict[int, list[Extent]]:
    """By `id()` of each element: where its block-level and image boxes lie, page by page."""
    found: dict[int, list[Extent]] = {}
    for index, page in enumerate(document.pages):
        for box in _flow(page._page_box):
            if box.element is None or not isinstance(box, boxes.BlockLevelBox | boxes.ReplacedBox):
                continue
            top, bottom = box.border_box_y(), box.border_box_y() + box.border_height()
            seen = found.setdefault(id(box.element), [])
            if seen and seen[-1].page == index:
                top, bottom = min(top, seen[-1].top), max(bottom, seen.pop().bottom)
            seen.append(Extent(index, top, bottom))
    return found


def rooms(document: Document) -> list[Room]:
    """Each page's text block and how far down its flow reaches."""
    found = []
    for page in document.pages:
        box = page._page_box
        notes = next((kid for kid in box.children if isinstance(kid, boxes.FootnoteAreaBox)
                      and kid.children), None)
        foot = box.content_box_y() + box.height if notes is None else notes.position_y
        bottoms = [leaf.border_box_y() + leaf.border_height() for leaf in _flow(box)
                   if isinstance(leaf, boxes.LineBox | boxes.ReplacedBox)
                   or (isinstance(leaf, boxes.BlockBox) and not leaf.children
                       and leaf.border_height() > 0)]
        found.append(Room(box.content_box_y(), foot, max(bottoms, default=None)))
    return found


def _flow(page_box: Any) -> Iterator[Any]:
    """The boxes of a page's flow: not its margin boxes, not its footnotes."""
    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox):
            yield from _boxes(child)


def text_blocks(pages: Iterable[Page]) -> list[tuple[float, float, float, float]]:
    """Each page's text block (its page box's content box, inside the margins) as a PDF
    rectangle in points: left, bottom, right, top, the trimmed page's corner at 0, 0."""
    blocks = []
    for page in pages:
        box = page._page_box
        left, top = box.content_box_x() * _PT, box.content_box_y() * _PT
        right, bottom = left + box.width * _PT, top + box.height * _PT
        height = page.height * _PT
        blocks.append((left, height - bottom, right, height - top))
    return blocks


def page_counters(pages: Iterable[Page]) -> list[int]:
    """Each page's page counter, as the stylesheets reset and increment it."""
    values: list[int] = []
    value = 0
    for page in pages:
        value = _page_counter(value, page._page_box.style)
        values.append(value)
    return values


def _page_counter(value: int, style: Any) -> int:
    """CSS order: counter-reset, then counter-increment, then counter-set."""
    for prop in ("counter_reset", "counter_increment", "counter_set"):
        values = style[prop]
        for name, number in () if isinstance(values, str) else values:
            if name == "page":
                value = value + number if prop == "counter_increment" else number
    return value


def folio_style(page: Page) -> str | None:
    """The counter style of the margin box that prints the page number, if one does."""
    for child in getattr(page._page_box, "children", ()):
        content = child.style["content"] if getattr(child, "at_keyword", None) else ()
        for item in () if isinstance(content, str) else content:
            if item[0] == "counter()" and item[1][0] == "page":
                return str(item[1][1])
    return None


def page_map(document: Document) -> PageMap:
    """Every page's folio and first character, from a laid-out document."""
    pages = document.pages
    if not pages:
        return ()
    root = laid_out_root(document)
    away = frozenset(map(id, moved_figures(root).values()))
    return map_pages(root, [list(_laid_out_texts(page._page_box, away)) for page in pages],
                     page_counters(pages), [folio_style(page) for page in pages])


def _laid_out_texts(box: Any, away: frozenset[int],
                    repeatable: bool = False) -> Iterator[tuple[str, bool]]:
    """A page's text boxes in order, each flagged if a table may repeat it on later pages;
    figures moved from their place (`away`, by `id()`) are counted at that place instead."""
    if getattr(box, "at_keyword", None) or "::" in (getattr(box, "element_tag", None) or ""):
        return  # running heads and folios; list markers, leaders and other ::before/::after
    element = getattr(box, "element", None)
    if element is not None and (is_apart(element) or id(element) in away):
        return  # footnotes, moved figures
    if getattr(box, "replacement", None) is not None and box.element_tag == "img":
        yield IMAGE, repeatable
        return
    text = getattr(box, "text", None)
    if isinstance(text, str):
        if counted := countable(text):
            yield counted, repeatable
        return
    repeatable = repeatable or getattr(box, "is_header", False) or getattr(box, "is_footer", False)
    for child in getattr(box, "children", ()):
        yield from _laid_out_texts(child, away, repeatable)
