"""An independent count of a Markdown source's words, for tests of any area that check no
word is lost on the way to an edition."""

from __future__ import annotations

import html
import re

from conftest import words

from publish.readers.markdown import parser

TAG = re.compile(r"<[^>]+>")


def reference_words(markdown: str) -> list[str]:
    """The words markdown-it itself renders, as an independent count of the input's text."""
    rendered = parser().render(markdown)
    rendered = re.sub(r'<sup class="footnote-ref">.*?</sup>', " ", rendered)
    rendered = re.sub(r'<a href="#fnref[^"]*" class="footnote-backref">.*?</a>', " ", rendered)
    rendered = re.sub(r'<img[^>]*alt="([^"]*)"[^>]*>', r" \1 ", rendered)
    rendered = re.sub(r"<(?:/p|br ?/?|/li|/h\d|/td|/th|/dt|/dd|/pre)>", " ", rendered)
    return words(html.unescape(TAG.sub(" ", rendered)))
