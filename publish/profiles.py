"""Large-print profiles: published guidance as data, so the layer has one set of numbers."""

from __future__ import annotations

from dataclasses import dataclass

# Regions whose paper is US Letter; everywhere else prints on A4.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR"})


@dataclass(frozen=True, slots=True)
class Profile:
    """One body of guidance: default and smallest body size, leading, headings, margins."""

    name: str
    source: str  # whose guidance this is, for --help and the report
    default_size: float  # body size in points when --size is not given
    floor: float  # no --size below this is accepted
    leading: float  # line height as a multiple of the body size (at least 1.4)
    headings: tuple[float, float, float]  # h1, h2, h3 sizes as multiples of the body size
    margin: str  # page margin on every side (CSS length)


PROFILES = {
    profile.name: profile
    for profile in (
        Profile("ukaaf", "UK Association for Accessible Formats", 18.0, 16.0, 1.5,
                (1.5, 1.3, 1.15), "2cm"),
        Profile("aph", "American Printing House for the Blind", 18.0, 18.0, 1.4,
                (1.4, 1.25, 1.1), "0.75in"),
        Profile("acb", "American Council of the Blind", 18.0, 18.0, 1.5,
                (22 / 18, 20 / 18, 1.0), "1in"),
        Profile("custom", "any size from 14 pt, with UKAAF typography", 18.0, 14.0, 1.5,
                (1.5, 1.3, 1.15), "2cm"),
    )
}
DEFAULT_PROFILE = "ukaaf"


def paper_size(language: str) -> str:
    """The paper a book's readers buy: Letter where its language tag names such a region."""
    parts = language.replace("_", "-").split("-")
    regions = {part.upper() for part in parts[1:] if len(part) == 2}
    return "letter" if regions & LETTER_REGIONS else "A4"
