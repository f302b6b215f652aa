"""Build options, validated once at the command line and passed to every renderer."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LARGE_PRINT_PT = 14.0
MAX_LARGE_PRINT_PT = 48.0


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for beyond the manuscript itself."""

    large_print_size: float = 18.0

    def __post_init__(self) -> None:
        if not MIN_LARGE_PRINT_PT <= self.large_print_size <= MAX_LARGE_PRINT_PT:
            raise ValueError(
                f"large-print size must be {MIN_LARGE_PRINT_PT:g}-{MAX_LARGE_PRINT_PT:g} pt, "
                f"not {self.large_print_size:g}"
            )
