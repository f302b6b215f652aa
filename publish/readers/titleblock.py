"""Pandoc's title block: `% Title`, `% Author; Author`, `% Date` as a file's first lines."""

from __future__ import annotations

from publish.readers.infer import TitleLine, classify_title_line

_FIELDS = ("title", "authors", "date")


def take_title_block(text: str) -> tuple[str, TitleLine]:
    """The text with its title block blanked (so line numbers stay true) and what it said."""
    lines = text.split("\n")
    fields: list[str] = []
    used = 0
    while used < len(lines) and len(fields) < len(_FIELDS):
        line = lines[used]
        if line.startswith("%"):
            fields.append(line[1:].strip())
        elif fields and line[:1] in (" ", "\t") and line.strip():
            fields[-1] = f"{fields[-1]} {line.strip()}"  # a field continued on the next line
        else:
            break
        used += 1
    if not fields:
        return text, {}
    return "\n" * used + "\n".join(lines[used:]), _meaning(fields)


def _meaning(fields: list[str]) -> TitleLine:
    found: TitleLine = {}
    title, authors, date = [*fields, "", "", ""][:3]
    if title:
        found["title"] = title
    names = tuple(name.strip() for name in authors.split(";") if name.strip())
    if names:
        found["authors"] = names
    when = classify_title_line(date, bare_names=False) if date else None
    if when and "date" in when:
        found["date"] = when["date"]
    return found
