"""Build options, validated once at the command line and passed to every renderer."""

from __future__ import annotations

from dataclasses import dataclass

from publish.pagination import PageMap
from publish.profiles import DEFAULT_PROFILE, PROFILES, Profile

MIN_LARGE_PRINT_PT = 14.0
MAX_LARGE_PRINT_PT = 48.0
# A braille page: from a small refreshable display's line to the widest embosser paper.
BRAILLE_CELLS = (12, 80)
BRAILLE_LINES = (4, 50)
BRAILLE_GRADES = (1, 2)


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for beyond the manuscript itself."""

    large_print_size: float = 18.0
    large_print_profile: str = DEFAULT_PROFILE
    # The print edition's page map when the build already has it; renderers that need it
    # lay out the print edition themselves when it is None.
    print_pages: PageMap | None = None
    # `publish check`'s report as XHTML, for a book that asks to carry it in its EPUB.
    certifier_report: str | None = None
    braille_cells: int = 40
    braille_lines: int = 25
    braille_grade: int = 2

    def __post_init__(self) -> None:
        self._check_braille()
        if not MIN_LARGE_PRINT_PT <= self.large_print_size <= MAX_LARGE_PRINT_PT:
            raise ValueError(
                f"large-print size must be {MIN_LARGE_PRINT_PT:g}-{MAX_LARGE_PRINT_PT:g} pt, "
                f"not {self.large_print_size:g}"
            )
        if self.large_print_profile not in PROFILES:
            raise ValueError(
                f"unknown large-print profile {self.large_print_profile!r}; "
                f"choose one of {', '.join(PROFILES)}"
            )
        floor = self.profile.floor
        if self.large_print_size < floor:
            raise ValueError(
                f"large-print size {self.large_print_size:g} pt is below the "
                f"{self.large_print_profile} profile's floor of {floor:g} pt "
                f"(use --profile custom for sizes from {MIN_LARGE_PRINT_PT:g} pt)"
            )

    def _check_braille(self) -> None:
        """The braille page and grade asked for are ones the layout can make."""
        for name, value, (low, high) in (("braille cells", self.braille_cells, BRAILLE_CELLS),
                                         ("braille lines", self.braille_lines, BRAILLE_LINES)):
            if not low <= value <= high:
                raise ValueError(f"{name} must be {low}-{high}, not {value}")
        if self.braille_grade not in BRAILLE_GRADES:
            raise ValueError(f"braille grade must be 1 or 2, not {self.braille_grade}")

    @classmethod
    def requested(cls, size: float | None, profile: str = DEFAULT_PROFILE,
                  cells: int = 40, lines: int = 25, grade: int = 2) -> Options:
        """Options from the command line: without a size, the profile's default size."""
        default = PROFILES[profile].default_size if profile in PROFILES else 18.0
        return cls(large_print_size=default if size is None else size,
                   large_print_profile=profile, braille_cells=cells, braille_lines=lines,
                   braille_grade=grade)

    @property
    def profile(self) -> Profile:
        """The large-print profile the size was checked against."""
        return PROFILES[self.large_print_profile]
