"""Build options, validated once at the command line and passed to every renderer."""

from __future__ import annotations

from dataclasses import dataclass

from publish.pagination import PageMap
from publish.profiles import DEFAULT_PROFILE, PROFILES, Profile

MIN_LARGE_PRINT_PT = 14.0
MAX_LARGE_PRINT_PT = 48.0


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

    def __post_init__(self) -> None:
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

    @classmethod
    def requested(cls, size: float | None, profile: str = DEFAULT_PROFILE) -> Options:
        """Options from the command line: without a size, the profile's default size."""
        default = PROFILES[profile].default_size if profile in PROFILES else 18.0
        return cls(large_print_size=default if size is None else size,
                   large_print_profile=profile)

    @property
    def profile(self) -> Profile:
        """The large-print profile the size was checked against."""
        return PROFILES[self.large_print_profile]
