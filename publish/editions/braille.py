"""The braille edition: a PEF file and the BRF made from it, transcribed by liblouis (UEB
for English) and laid out as BANA Braille Formats 2016 asks, print page numbers from the
print edition's page map."""

from publish.editions import Check, Companion, Edition, register
from publish.options import Options


def page_and_grade(options: Options) -> str:
    """The braille page size and grade asked for."""
    return f"{options.braille_cells}x{options.braille_lines} g{options.braille_grade}"


BRAILLE = register(Edition(
    name="braille",
    suffix=".pef",
    layer="braille",
    render="publish.braille.render:render_braille",
    options_key=page_and_grade,
    needs_page_map=True,
    checks=(Check("publish.check.braille:braille"),),
    semantics="publish.check.brailletree:read_semantics",
    compare="publish.check.brailletree:compare",
    companions=(Companion(".brf", "publish.braille.pef:brf_from_pef"),),
    unavailable="publish.braille.tables:untranscribable",
))
