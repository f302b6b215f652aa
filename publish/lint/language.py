"""A009: a passage in another language, guessed conservatively from its function words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from publish.lint.core import Doc, Hit, text_of

# Short, frequent function words; a word shared by two languages counts for both.
_STOPWORDS = {
    "en": "the and of to in is that it was for with as his he her she on be at by this had "
          "not are but from or have an they which you were their we there been would has "
          "will what when who them than then into could",
    "fr": "le la les des et est une un du que qui dans pour pas sur au avec il elle ne se "
          "ce sont ses aux nous vous mais ou leur cette été être avait était je tu très plus",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für dem im auch "
          "es an als wie aus er sie wir ich noch nach bei war sind werden wird oder aber",
    "es": "el la los las de que y en un una es por con para no se del lo al como más pero "
          "sus le ya o este sí porque esta entre cuando muy sin sobre también fue había",
    "it": "il la di che e è un una per non in con del della le si dei gli sono lo ma come "
          "anche alla al più nel ha questo questa ci mi era ho cosa quando tutto",
    "pt": "o a os as de que e do da em um uma para com não no na por mais se como mas foi "
          "ao ele ela das dos seu sua ou quando muito já está também só pelo pela",
    "nl": "de het een en van is dat niet te op zijn voor met die er aan ook als bij maar om "
          "ik je hij we wat nog door naar uit dan zo wordt werd",
    "la": "et in est non ad cum quod ut sed qui quae esse sunt enim atque nec per ex autem "
          "etiam tamen quam eius neque ab hoc ille haec",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LANG_ATTR = re.compile(r"\blang=")
_MIN_WORDS = 8


def guess_language(text: str) -> str | None:
    """The language most of the text's function words belong to, when the evidence is clear."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    counts = sorted(
        ((sum(w in vocabulary for w in words), lang) for lang, vocabulary in _WORDS.items()),
        reverse=True,
    )
    (best, lang), (second, _) = counts[0], counts[1]
    if best >= 4 and best >= 0.25 * len(words) and best >= 2 * second:
        return lang
    return None


def foreign_passages(doc: Doc) -> Iterator[Hit]:
    """A009: text in an unmarked language is read aloud with the wrong voice and rules."""
    book = doc.language.split("-")[0].lower()
    if book not in _WORDS:
        return
    for opening, inline in _unmarked_blocks(doc.tokens):
        if opening.type not in ("paragraph_open", "heading_open"):
            continue
        guessed = guess_language(text_of(inline.children or [], skip_lang=True))
        if guessed is not None and guessed != book:
            kind = "paragraph" if opening.tag == "p" else "heading"
            yield ("A009", doc.locate(inline), f"this {kind} looks like '{guessed}' but the book "
                   f"is '{doc.language}': mark it with `{{lang={guessed}}}` on the line below it")


def _unmarked_blocks(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    """Blocks with their inline tokens, leaving out those inside or carrying a language."""
    marked_depth: list[bool] = []
    for at, token in enumerate(tokens):
        if token.nesting == 1:
            marked_depth.append(_has_lang(token) or bool(marked_depth and marked_depth[-1]))
        elif token.nesting == -1 and marked_depth:
            marked_depth.pop()
        elif token.type == "inline" and not (marked_depth and marked_depth[-1]) \
                and not _LANG_ATTR.search(token.content.rsplit("\n", 1)[-1].rsplit("{", 1)[-1]):
            yield tokens[at - 1], token


def _has_lang(token: Token) -> bool:
    """A language set by block attributes or on a `::: {lang=fr}` container."""
    return bool(token.attrs.get("lang")) or bool(_LANG_ATTR.search(token.info or ""))
