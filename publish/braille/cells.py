"""Braille cells as Unicode patterns (PEF rows) and as North American Braille ASCII (BRF)."""

from __future__ import annotations

# The 64 six-dot patterns in the order of their dot bits (dot 1 = 1 ... dot 6 = 32).
ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
UNICODE_BASE = 0x2800
_TO_ASCII = {chr(UNICODE_BASE + bits): ch for bits, ch in enumerate(ASCII_BRAILLE)}
_TO_UNICODE = {ch: cell for cell, ch in _TO_ASCII.items()}


def to_ascii(cells: str) -> str:
    """Six-dot Unicode braille as BRF characters; dots 7 and 8 have no BRF character."""
    try:
        return "".join(_TO_ASCII[cell] for cell in cells)
    except KeyError as error:
        raise ValueError(f"not a six-dot braille cell: {error.args[0]!r}") from error


def to_unicode(text: str) -> str:
    """BRF characters (either case) as Unicode braille cells."""
    return "".join(_TO_UNICODE[ch] for ch in text.upper())
