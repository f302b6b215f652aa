"""The editions table: each edition is data (a renderer, style layers, a file name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from publish.model import Book
from publish.options import Options

Renderer = Callable[[Book, Options], bytes]


@dataclass(frozen=True)
class Edition:
    """One output of a build."""

    name: str
    suffix: str  # appended to the book's stem to name the file
    renderer: str  # "module:function", imported in the worker process that renders

    def filename(self, book: Book) -> str:
        """The output file name, e.g. `lighthouse-large-print.pdf`."""
        return f"{book.stem}{self.suffix}"

    def load(self) -> Renderer:
        """The render function, imported lazily so workers load only what they use."""
        from importlib import import_module

        module, function = self.renderer.split(":")
        render: Renderer = getattr(import_module(module), function)
        return render


EDITIONS = {
    edition.name: edition
    for edition in (
        Edition("print", ".pdf", "publish.renderers.pdf:render_print"),
        Edition("epub", ".epub", "publish.renderers.epub:render_epub"),
        Edition("large-print", "-large-print.pdf", "publish.renderers.pdf:render_large_print"),
    )
}
