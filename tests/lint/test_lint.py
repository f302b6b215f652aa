"""Each lint code: a small manuscript that triggers it at the right line, and one that does not."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from publish.errors import ManuscriptError
from publish.lint import RULES, lint

FRENCH = ("Nous sommes partis de la maison avant le jour, et il faisait encore très froid "
          "dans les rues du village quand nous sommes arrivés au port.")

WIDE = "\n".join(["|" + " Heading |" * 12, "|" + "---|" * 12, "|" + " datum |" * 12])
NARROW = "\n".join(["|" + " Heading |" * 4, "|" + "---|" * 4, "|" + " datum |" * 4])

# code: (manuscript that triggers it, the line of the finding, a manuscript that does not)
CASES: dict[str, tuple[str, int, str]] = {
    "A001": ("# T\n\n![](images/a.png)\n", 3,
             "# T\n\n![A lamp](images/a.png)\n\n![](images/rule.png){.decorative}\n"),
    "A002": ("# T\n\ntext\n\n![harbour-wall.jpg](images/harbour-wall.jpg)\n", 5,
             "# T\n\n![The harbour wall after the storm](images/harbour-wall.jpg)\n"),
    "A003": ("# T\n\n![Image of a lighthouse at dusk](a.png)\n", 3,
             "# T\n\n![A lighthouse at dusk, its lamp lit](a.png)\n"),
    "A004": ("# Title\n\n### Too deep\n", 3, "# Title\n\n## Section\n\n### Sub\n\n## Next\n"),
    "A005": ("---\nlayout: article\n---\n# Headline\n\nText.\n\n# Another\n", 8,
             "---\nlayout: article\n---\n# Headline\n\nText.\n\n## Section\n"),
    "A006": ("# T\n\nThe full report is [here](https://example.org/r).\n", 3,
             "# T\n\nRead [the council's full report](https://example.org/r).\n"),
    "A007": ("# T\n\nSee\n<https://example.org/report> for more.\n", 4,
             "# T\n\nSee [the report on example.org](https://example.org/report).\n"),
    "A008": ("# T\n\n|  |  |\n|--|--|\n| a | b |\n", 3,
             "# T\n\n| Name | Age |\n|--|--|\n| a | b |\n"),
    "A009": (f"# T\n\nIt was early.\n\n{FRENCH}\n", 5,
             f"# T\n\nIt was early.\n\n{FRENCH}\n{{lang=fr}}\n\n::: {{lang=fr}}\n{FRENCH}\n:::\n"),
    "A010": ("# T\n\nThe overdue loans are\nshown in red below.\n", 4,
             "# T\n\nThe red door was open, and the green hills beyond it were wet.\n"),
    "A011": ("# T\n\nText.\n\n" + WIDE + "\n", 5, "# T\n\n" + NARROW + "\n"),
    "H001": ("# T\n\nThe council said on Tuesday that the\n\nwall would be repaired by spring.\n",
             5, "# T\n\n“I will go,” she said, “but only if—”\n\n“No,” he said.\n\n"
                "We bought the following:\n\n- apples\n- pears\n\nHe met Mr.\n\nSmith later.\n"),
    "H002": ("# T\n\nShe said \"yes\" and\nhe said “no”.\n", 3,
             "# T\n\nShe said “yes” and he said “no”.\n\nHe said \"maybe\".\n"),
    "H003": ("# T\n\nAnd then\nthere was.... nothing.\n", 4,
             "# T\n\nAnd then… nothing. And then... nothing.\n"),
    "H004": ("# T\n\nOne line.\nTwo  spaces here.\n", 4,
             "# T\n\nA hard break  \nafter two trailing spaces, and `a  b` in code.\n"),
    "H005": ("# T\n\nText.\n\nA claim.[^missing]\n", 5,
             "# T\n\nA claim.[^source]\n\n[^source]: Where it comes from.\n"),
    "H006": ("# T\n\nText.\n\n[^orphan]: A note that nobody cites.\n", 5,
             "# T\n\nText.[^cited]\n\n[^cited]: A note that is cited.\n"),
    "H007": ("# T\n\nText.\n\n## {#empty}\n\nMore.\n", 5, "# T\n\n## A section {#full}\n"),
    "R001": ("# T\n\nText.\n\n![A red square](scripted.svg)\n", 5,
             "# T\n\n![A red square](plain.svg)\n"),
    "R002": ("# T\n\nText.\n\nSee [my notes](notes.txt).\n", 5,
             "# T\n\nSee [the site](https://example.org/) and [the top](#t).\n"),
    "R003": ("# T\n\nText.\n\nSee [the end](#the-end).\n", 5,
             "# T\n\n## The end\n\nSee [the end](#the-end).\n"),
    "H008": ("# T\n\nData:\n\n" + "QUJD" * 2_501 + "\n", 5,
             "# T\n\n" + "QUJD " * 2_501 + "\n\n" + "\u6f22" * 12_000 + "\n"),
}
_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"{}>'
        '<rect width="9" height="9"/></svg>')
# files beside the manuscript that some cases need
FILES = {"scripted.svg": _SVG.format(' onload="alert(1)"'), "plain.svg": _SVG.format(""),
         "notes.txt": "notes"}


def _lint_text(write, text: str, *ignore: str) -> list[tuple[int, str]]:
    for name, content in FILES.items():
        write(name, content)
    return [(f.line, f.code) for f in lint(write("book.md", text), ignore)]


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_triggers_at_its_line(write, code: str) -> None:
    text, line, _ = CASES[code]
    assert _lint_text(write, text) == [(line, code)]


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_stays_quiet_on_correct_text(write, code: str) -> None:
    assert _lint_text(write, CASES[code][2]) == []


# Word's own codes: their cases are Word files, in tests/readers/docx/test_word_reader.py
WORD_CODES = {"W001", "W002", "W003", "W004"}
# A stylesheet's code: its cases are sheets, in tests/pipeline/test_hardening_references.py
SHEET_CODES = {"R004"}


def test_every_code_has_cases_and_documentation() -> None:
    documented = set(re.findall(r"^## ([AHRW]\d{3})\b", (ROOT / "docs" / "lint-codes.md")
                                .read_text("utf-8"), re.MULTILINE))
    assert set(CASES) | WORD_CODES | SHEET_CODES == set(RULES) == documented


def test_front_matter_silences_a_rule(write) -> None:
    text = "---\nlint: {ignore: [A004]}\n---\n# Title\n\n### Deep\n"
    assert _lint_text(write, text) == []


def test_command_line_silences_a_rule(write) -> None:
    assert _lint_text(write, CASES["A004"][0], "a004") == []


def test_book_toml_silences_a_rule_in_every_chapter(write) -> None:
    write("one.md", "# One\n\n### Deep\n")
    write("two.md", "# Two\n\nTwo  spaces.\n")
    manifest = write("book.toml", 'title = "B"\n[lint]\nignore = ["A004"]\n'
                     '[contents]\nfiles = ["one.md", "two.md"]\n')
    findings = lint(manifest.parent)
    assert [(f.path.name, f.line, f.code) for f in findings] == [("two.md", 3, "H004")]


def test_unknown_code_is_an_error(write) -> None:
    with pytest.raises(ManuscriptError, match="unknown rule 'Z999'"):
        _lint_text(write, "# T\n", "Z999")


def test_language_of_the_book_decides_what_is_foreign(write) -> None:
    english = "We left the house before dawn, and it was still very cold in the streets."
    text = f"---\nlanguage: fr\n---\n# T\n\n{FRENCH}\n\n{english}\n"
    assert _lint_text(write, text) == [(8, "A009")]


def test_samples_lint_clean() -> None:
    for sample in (ROOT / "manuscript" / "harbour-article.md", ROOT / "manuscript" / "lighthouse"):
        assert lint(sample) == [], sample


def test_format_is_file_line_code_message(write) -> None:
    path = write("book.md", CASES["A001"][0])
    finding = lint(path)[0]
    assert finding.format(path.parent) == (
        "book.md:3: A001 image 'images/a.png' has no alt text: describe it, or mark it "
        "{.decorative} if it carries no information"
    )
    assert finding.severity == "error"


def test_rules_table_is_the_one_place_for_severities() -> None:
    assert {rule.severity for rule in RULES.values()} == {"error", "warning"}
    assert all(code == rule.code for code, rule in RULES.items())
