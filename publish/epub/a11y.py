"""Accessibility metadata derived from what the book holds, never asserted blindly."""

from __future__ import annotations

from dataclasses import dataclass

from publish.model import Book, Footnote, Heading, Image, Table
from publish.walk import division_nodes

HAZARDS = ("noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard")


@dataclass(frozen=True)
class Facts:
    """What an accessibility statement can truthfully say about one EPUB."""

    headings: bool
    informative_images: int  # in the text, not counting the cover
    decorative_images: int
    described_images: int  # informative images with alt text, cover included
    has_cover_image: bool  # a real picture; a generated text-only cover is not one
    notes: bool
    tables: bool
    page_list: bool = False

    @property
    def visual(self) -> bool:
        """Whether some content is only perceivable by sight without its description."""
        return self.informative_images > 0 or self.has_cover_image

    @property
    def all_described(self) -> bool:
        """Every informative image (and the cover) has alt text."""
        return self.described_images == self.informative_images + int(self.has_cover_image)


def gather(book: Book, page_list: bool = False) -> Facts:
    """Count what the reader will meet: headings, images, notes, tables."""
    nodes = [n for d in book.all_divisions() for n in division_nodes(d)]
    images = [n for n in nodes if isinstance(n, Image)]
    informative = [i for i in images if not i.decorative]
    cover = book.metadata.cover
    described = [i for i in [*informative, *([cover] if cover else [])] if i.alt.strip()]
    return Facts(
        headings=any(d.title for d in book.all_divisions())
        or any(isinstance(n, Heading) for n in nodes),
        informative_images=len(informative),
        decorative_images=len(images) - len(informative),
        described_images=len(described),
        has_cover_image=cover is not None,
        notes=any(isinstance(n, Footnote) for n in nodes),
        tables=any(isinstance(n, Table) and n.head for n in nodes),
        page_list=page_list,
    )


def access_modes(facts: Facts) -> tuple[str, ...]:
    """schema:accessMode values: textual, plus visual when pictures carry content."""
    return ("textual", "visual") if facts.visual else ("textual",)


def sufficient_modes(facts: Facts) -> tuple[str, ...]:
    """schema:accessModeSufficient: text alone only if every picture is described."""
    if not facts.visual:
        return ("textual",)
    return ("textual", "textual,visual") if facts.all_described else ("textual,visual",)


def features(facts: Facts) -> tuple[str, ...]:
    """schema:accessibilityFeature values the content really has."""
    found = ["tableOfContents", "readingOrder", "displayTransformability"]
    if facts.headings:
        found.insert(0, "structuralNavigation")
    if facts.visual and facts.all_described:
        found.append("alternativeText")
    if facts.page_list:  # printPageNumbers: the older name of pageBreakMarkers, still read
        found += ["pageBreakMarkers", "pageNavigation", "printPageNumbers"]
    return tuple(found)


def summary(facts: Facts) -> str:
    """A plain-language statement of the facts above, for a person choosing the book."""
    navigation = "a table of contents, headings that mark its structure" if facts.headings \
        else "a table of contents"
    sentences = [
        f"This EPUB has {navigation} and a logical reading order, and its text can be "
        "resized and restyled in the reading system.",
        _images_sentence(facts),
    ]
    if facts.notes:
        sentences.append("Each note links to the place it is cited and back.")
    if facts.tables:
        sentences.append("Tables have marked header cells.")
    sentences.append("Page numbers from the print edition are included." if facts.page_list
                     else "It does not include page numbers from the print edition.")
    sentences.append("It has no known flashing, motion or sound hazards.")
    return " ".join(s for s in sentences if s)


def _images_sentence(facts: Facts) -> str:
    """Whether pictures matter and whether someone who cannot see them misses anything."""
    hidden = "decorative images are hidden from assistive technology"
    if not facts.visual:
        if facts.decorative_images:
            return f"All of its content is text; its {hidden}."
        return "All of its content is text."
    count = facts.informative_images
    things = ([f"{count} images" if count > 1 else "image"] if count else [])
    things += ["cover"] if facts.has_cover_image else []
    subject = " and ".join(things)
    if facts.all_described:
        plural = count > 1 or len(things) > 1
        said = f"Its {subject} {'have text descriptions' if plural else 'has a text description'}"
    else:
        said = f"Not every picture ({subject}) has a text description"
    return said + (f"; {hidden}." if facts.decorative_images else ".")
