"""The braille edition's machinery: liblouis translation, BANA page layout, PEF and BRF.

`louis` finds liblouis's Python binding; `tables` picks a table for the book's language;
`blocks` turns the book's semantic HTML into formatted braille blocks; `pages` lays them out
on braille pages with their page numbers; `pef` writes the PEF and derives the BRF from it.
"""
