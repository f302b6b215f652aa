"""The number Word shows on each numbered paragraph: starts, restarts, level overrides and
lists continued across other paragraphs, which mammoth's markup leaves out."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from publish.readers.docx.properties import W

_UNNUMBERED = ("bullet", "none", "")
_LEVELS = 9


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{{{W}}}{name}")


def _int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


@dataclass
class Numbering:
    """Counts each list as Word does, paragraph by paragraph in document order."""

    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # (abstract, level)
    formats: dict[tuple[str, int], str] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, level)
    style_numbers: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> num
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, numbering: etree._Element | None, styles: etree._Element | None) -> Numbering:
        """The definitions in word/numbering.xml and the numbered paragraph styles."""
        found = cls()
        if numbering is not None:
            for abstract in numbering.iter(f"{{{W}}}abstractNum"):
                key = _val(abstract, "abstractNumId") or ""
                for level in abstract.iter(f"{{{W}}}lvl"):
                    found._level(key, level)
            for instance in numbering.iter(f"{{{W}}}num"):
                ident = _val(instance, "numId") or ""
                found.abstract_of[ident] = _val(instance.find(f"{{{W}}}abstractNumId")) or ""
                for override in instance.iter(f"{{{W}}}lvlOverride"):
                    start = _val(override.find(f"{{{W}}}startOverride"))
                    if start is not None:
                        found.overrides[(ident, _int(_val(override, "ilvl"), 0))] = \
                            _int(start, 1)
        if styles is not None:
            for style in styles.iter(f"{{{W}}}style"):
                num = style.find(f"{{{W}}}pPr/{{{W}}}numPr")
                if num is not None:
                    found.style_numbers[_val(style, "styleId") or ""] = (
                        _val(num.find(f"{{{W}}}numId")) or "0",
                        _int(_val(num.find(f"{{{W}}}ilvl")), 0))
        return found

    def _level(self, abstract: str, level: etree._Element) -> None:
        index = _int(_val(level, "ilvl"), 0)
        self.starts[(abstract, index)] = _int(_val(level.find(f"{{{W}}}start")), 1)
        self.formats[(abstract, index)] = _val(level.find(f"{{{W}}}numFmt")) or "decimal"

    def next_number(self, paragraph: etree._Element) -> int | None:
        """The number of this paragraph if it is a numbered list item, counting it."""
        found = self._numbering_of(paragraph)
        if found is None:
            return None
        ident, level = found
        abstract = self.abstract_of.get(ident)
        if abstract is None or not 0 <= level < _LEVELS:
            return None
        counters = self.counters.setdefault(abstract, [None] * _LEVELS)
        if ident not in self.used:
            self.used.add(ident)
            for (num, at), start in self.overrides.items():
                if num == ident:
                    counters[at] = start - 1
        current = counters[level]
        counters[level] = self.starts.get((abstract, level), 1) if current is None \
            else current + 1
        for deeper in range(level + 1, _LEVELS):
            counters[deeper] = None
        if self.formats.get((abstract, level), "decimal") in _UNNUMBERED:
            return None
        return counters[level]

    def _numbering_of(self, paragraph: etree._Element) -> tuple[str, int] | None:
        properties = paragraph.find(f"{{{W}}}pPr")
        if properties is None:
            return None
        num = properties.find(f"{{{W}}}numPr")
        style = _val(properties.find(f"{{{W}}}pStyle"))
        by_style = self.style_numbers.get(style or "")
        if num is None:
            return by_style if by_style and by_style[0] != "0" else None
        ident = _val(num.find(f"{{{W}}}numId")) or (by_style[0] if by_style else "0")
        level = _int(_val(num.find(f"{{{W}}}ilvl")), by_style[1] if by_style else 0)
        return None if ident == "0" else (ident, level)
