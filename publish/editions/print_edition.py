"""The print edition: a tagged PDF/UA-1 on the book's trim size; its layout gives the print
page map that the other editions carry."""

from publish.editions import Check, Edition, register
from publish.identifiers import print_identifier

PRINT = register(Edition(
    name="print",
    suffix=".pdf",
    layer="print",
    render="publish.pdf.render:render_print",
    markup="publish.pdf.print_page:print_markup",
    style_values="publish.pdf.print_page:print_values",
    page_map="publish.pdf.render:print_page_map",
    layout="publish.pdf.render:render_edition",
    identifier=print_identifier,
    checks=(Check("publish.check.pdf:page_validation",
                  batch="publish.check.pdf:page_validation_all"),
            Check("publish.check.pdf:outloud", batch="publish.check.pdf:outloud_all"),
            Check("publish.check.pdftext:text_in_place"), Check("publish.check.gaps:page_gaps"),
            Check("publish.check.craft:page_craft")),
    semantics="publish.check.pdftree:read_semantics",
    words="publish.check.pdftext:pdf_words",
    previews=True,
))
