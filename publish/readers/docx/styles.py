"""Word's semantic styles, mapped to the markup the Word reader turns into the model.

Word names built-in styles in English inside the file, but files made by other programs or
from a translated template carry the names a writer sees in the language of their Word:
both are listed. mammoth matches names without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# "Heading" in the languages whose templates we have met (Word's own translations).
HEADING_NAMES = (
    "heading", "Überschrift", "Titre", "Título", "Titolo", "Kop", "Rubrik", "Overskrift",
    "Otsikko", "Nagłówek", "Cabeçalho", "Nadpis", "Címsor", "Başlık", "Заголовок",
    "Antraštė", "Virsraksts", "Pealkiri", "Naslov", "Επικεφαλίδα", "見出し", "标题",
    "標題", "제목",
)
TITLE_NAMES = ("Title", "Titel", "Titre", "Título", "Titolo", "Tytuł", "Название", "表題")
SUBTITLE_NAMES = ("Subtitle", "Untertitel", "Sous-titre", "Subtítulo", "Sottotitolo",
                  "Podtytuł", "Подзаголовок", "副題")
QUOTE_NAMES = ("Quote", "Intense Quote", "Block Text", "Block Quote", "Blockquote", "Zitat",
               "Intensives Zitat", "Citation", "Cita", "Citazione", "Citaat", "Citat",
               "Цитата", "Quotations")
CODE_NAMES = ("Source Code", "Code", "HTML Preformatted", "Plain Text", "Preformatted Text",
              "Code Block", "Quellcode", "Nur Text")
CODE_CHAR_NAMES = ("Verbatim Char", "HTML Code", "Code Char", "Inline Code", "Source Code Char",
                   "HTML Keyboard", "HTML Typewriter")
CAPTION_NAMES = ("Caption", "Image Caption", "Table Caption", "Figure Caption", "Beschriftung",
                 "Légende", "Descripción", "Didascalia", "Bijschrift", "Подпись")
AUTHOR_NAMES = ("Author", "Autor", "Auteur", "Autore")
DATE_NAMES = ("Date", "Datum", "Fecha", "Data")
ABSTRACT_NAMES = ("Abstract", "Zusammenfassung", "Résumé")

# Classes the reader looks for on paragraphs mapped from these styles.
TITLE, SUBTITLE, AUTHOR, DATE, ABSTRACT, CAPTION = (
    "word-title", "word-subtitle", "word-author", "word-date", "word-abstract", "word-caption")


def style_map(defined: Iterable[str]) -> str:
    """The mammoth style map for the paragraph and character styles a file defines (mammoth
    tries every rule on every paragraph and run: a rule per known name in every language
    would make it 20 times slower on a novel)."""
    names = {name.casefold(): name for name in defined}
    rules = [_heading_rule(name) for name in names.values()]
    for group, target in _GROUPS:
        rules += [f"p[style-name='{names[n.casefold()]}'] => {target}" for n in group
                  if n.casefold() in names]
    rules += [f"r[style-name='{names[n.casefold()]}'] => code" for n in CODE_CHAR_NAMES
              if n.casefold() in names]
    rules += ["r[style-name='Strong'] => strong", "r[style-name='Emphasis'] => em",
              "u => span", "strike => s"]
    return "\n".join(rule for rule in rules if rule)


def _heading_rule(name: str) -> str:
    """`Überschrift 2 => h2`, or nothing for a name that is not a heading's."""
    match = _HEADING.match(name)
    if match is None:
        return ""
    return f"p[style-name='{name}'] => h{match.group(1)}:fresh"


_HEADING = re.compile(rf"^(?:{'|'.join(map(re.escape, HEADING_NAMES))})\s?([1-6])$",
                      re.IGNORECASE)
_GROUPS = (
    (TITLE_NAMES, f"p.{TITLE}:fresh"), (SUBTITLE_NAMES, f"p.{SUBTITLE}:fresh"),
    (AUTHOR_NAMES, f"p.{AUTHOR}:fresh"), (DATE_NAMES, f"p.{DATE}:fresh"),
    (ABSTRACT_NAMES, f"p.{ABSTRACT}:fresh"), (CAPTION_NAMES, f"p.{CAPTION}:fresh"),
    (QUOTE_NAMES, "blockquote > p:fresh"), (CODE_NAMES, "pre:separator('\\n')"),
)
