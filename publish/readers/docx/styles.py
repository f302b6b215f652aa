"""Word's semantic styles, mapped to the markup the Word reader turns into the model.

Word names built-in styles in English inside the file, but files made by other programs or
from a translated template carry the names a writer sees in the language of their Word:
both are listed. mammoth matches names without regard to case.
"""

from __future__ import annotations

# "Heading" in the languages whose templates we have met (Word's own translations).
HEADING_NAMES = (
    "heading", "Überschrift", "Titre", "Título", "Titolo", "Kop", "Rubrik", "Overskrift",
    "Otsikko", "Nagłówek", "Cabeçalho", "Nadpis", "Címsor", "Başlık", "Заголовок",
    "Nadpis", "Antraštė", "Virsraksts", "Pealkiri", "Naslov", "Επικεφαλίδα", "見出し", "标题",
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


def style_map() -> str:
    """The mammoth style map: one rule a line, most specific first."""
    rules: list[str] = []
    for name in HEADING_NAMES:
        for level in range(1, 7):
            rules.append(f"p[style-name='{name} {level}'] => h{level}:fresh")
            rules.append(f"p[style-name='{name}{level}'] => h{level}:fresh")
    rules += _paragraphs(TITLE_NAMES, f"p.{TITLE}:fresh")
    rules += _paragraphs(SUBTITLE_NAMES, f"p.{SUBTITLE}:fresh")
    rules += _paragraphs(AUTHOR_NAMES, f"p.{AUTHOR}:fresh")
    rules += _paragraphs(DATE_NAMES, f"p.{DATE}:fresh")
    rules += _paragraphs(ABSTRACT_NAMES, f"p.{ABSTRACT}:fresh")
    rules += _paragraphs(CAPTION_NAMES, f"p.{CAPTION}:fresh")
    rules += _paragraphs(QUOTE_NAMES, "blockquote > p:fresh")
    rules += _paragraphs(CODE_NAMES, "pre:separator('\\n')")
    rules += [f"r[style-name='{name}'] => code" for name in CODE_CHAR_NAMES]
    rules += ["r[style-name='Strong'] => strong", "r[style-name='Emphasis'] => em",
              "u => span", "strike => s"]
    return "\n".join(rules)


def _paragraphs(names: tuple[str, ...], target: str) -> list[str]:
    return [f"p[style-name='{name}'] => {target}" for name in names]
