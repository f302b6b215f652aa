"""The reader never crashes on real input and loses no word of it."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import book_words, words
from markdown_words import TAG, reference_words

from publish.readers import read

# Examples whose words join: links to local files are written as their text (R002), and
# 572's two side by side read "foobaz", as the spec's own HTML shows them: those are held
# to the spec's HTML read without its tags.
JOINED_LINK_TEXT = {572}


def missing_words(expected: list[str], got: list[str]) -> Counter[str]:
    """Words of the input that the model lacks, with multiplicity."""
    return Counter(expected) - Counter(got)


def test_every_commonmark_example_reads_and_keeps_its_words(corpus: Path, tmp_path: Path) -> None:
    examples = json.loads((corpus / "commonmark-spec.json").read_text("utf-8"))
    losses = {}
    read_count = 0
    for example in examples:
        source = tmp_path / f"example-{example['example']}.md"
        if not example["markdown"].strip():
            continue
        source.write_text(example["markdown"], encoding="utf-8")
        try:
            book = read(source)
        except Exception as error:  # images in the spec point at files that do not exist
            if "image" in str(error) or "front matter" in str(error):
                continue
            raise
        read_count += 1
        expected = (words(html.unescape(TAG.sub("", example["html"])))
                    if example["example"] in JOINED_LINK_TEXT
                    else reference_words(example["markdown"]))
        lost = missing_words(expected, book_words(book))
        if lost:
            losses[example["example"]] = dict(lost)
    assert len(examples) == 655
    assert read_count > 600
    assert losses == {}


@pytest.mark.parametrize("name", ["pride-and-prejudice.md", "gullivers-travels.md"])
def test_corpus_novel_keeps_every_word(corpus: Path, name: str) -> None:
    source = corpus / name
    book = read(source)
    text = source.read_text("utf-8")
    expected = reference_words(text)
    got = book_words(book)
    assert len(expected) > 100_000
    assert missing_words(expected, got) == Counter()
