"""The large-print edition: the print markup, marked where each print page begins, set in a
sans face at the asked size by the large-print layer."""

from publish.editions import Check, Edition, register
from publish.identifiers import large_print_identifier
from publish.options import Options


def size_and_profile(options: Options) -> str:
    """The asked body size and the guidance it follows."""
    return f"{options.large_print_size!r} {options.large_print_profile}"


LARGE_PRINT = register(Edition(
    name="large-print",
    suffix="-large-print.pdf",
    layer="large-print",
    render="publish.pdf.render:render_large_print",
    markup="publish.pdf.large_print:edition_markup",
    style_values="publish.pdf.large_print:page_values",
    options_key=size_and_profile,
    needs_page_map=True,
    layout="publish.pdf.render:render_edition",
    follow="publish.pdf.render:render_large_print_as_pages_come",
    identifier=large_print_identifier,
    checks=(Check("publish.check.pdf:page_validation",
                  batch="publish.check.pdf:page_validation_all"),
            Check("publish.check.pdf:outloud", batch="publish.check.pdf:outloud_all"),
            Check("publish.check.pdftext:text_in_place"), Check("publish.check.gaps:page_gaps"),
            Check("publish.check.largeprint:large_print", sized=True),
            Check("publish.check.craft:large_print_craft")),
    semantics="publish.check.pdftree:read_semantics",
    words="publish.check.pdftext:pdf_words",
    previews=True,
))
