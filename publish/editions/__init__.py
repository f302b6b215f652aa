"""The editions registry: every edition defined once, as data, in a module of this package.

An edition says what it is called and how its file is named, which style layer it is
dressed in (the layer's `layer.toml` says what that inherits), what else its bytes depend
on, whether it needs or makes the print page map, how it is rendered, identified and checked.
The build, the cache, `publish check` and the command line read this table and never
compare edition names. Heavy code is named as `"module:function"` and imported only where
it runs, so the table itself costs nothing to load.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from publish import layers
from publish.errors import NOTICE
from publish.identifiers import derived_identifier
from publish.model import Book, Metadata
from publish.options import Options
from publish.pagination import PageMap

log = logging.getLogger(__name__)


def no_options(_options: Options) -> str:
    """For an edition that no build option changes."""
    return ""


@dataclass(frozen=True)
class Check:
    """A validator run on an edition's file: `"module:function"` taking the file (and the
    large-print size asked for when `sized`) and giving a check `Run`; `batch` takes many
    files at once and gives their runs in order, used when several books are checked."""

    run: str
    sized: bool = False
    batch: str | None = None


@dataclass(frozen=True)
class Companion:
    """A further file an edition writes beside its own, made from that file's bytes (the
    BRF from the PEF), so the two can never disagree."""

    suffix: str
    derive: str  # "module:function": the edition's bytes -> this file's bytes

    @property
    def format(self) -> str:
        """Its format's short name, as the service offers it: `brf` for `.brf`."""
        return self.suffix.lstrip(".")


@dataclass(frozen=True)
class Edition:
    """One output of a build, and everything the rest of the toolkit needs to know of it."""

    name: str
    suffix: str  # appended to the book's stem to name the file
    layer: str  # its own style layer
    render: str  # "module:function": (Book, Options) -> bytes, run in a worker process
    markup: str | None = None  # "module:function": (Book, Options) -> the HTML it is set from
    style_values: str | None = None  # "module:function": (Book, Options) -> its CSS values
    options_key: Callable[[Options], str] = no_options  # the options its bytes depend on
    needs_page_map: bool = False  # carries the print edition's page numbers
    page_map: str | None = None  # "module:function": (Book, record) -> PageMap, on its maker
    layout: str | None = None  # "module:function": a PDF renderer that reuses its last layout
    follow: str | None = None  # "module:function": laid out as the print pages become known
    identifier: Callable[[Metadata], str] | None = None  # the id in its file; None: derived
    checks: tuple[Check, ...] = ()
    semantics: str | None = None  # "module:function": Path -> what parity compares
    # "module:function": (name_a, Semantics a, name_b, its Semantics) -> parity's issues, for
    # an edition whose semantics are read back (braille) and compared on its own terms
    compare: str | None = None
    words: str | None = None  # "module:function": Path -> the words word parity compares
    whole_text: bool = False  # its words are the book's text, held against the others'
    previews: bool = False  # the check report shows thumbnails of its first pages
    certifiable: bool = False  # can carry `publish check`'s report as its certifier report
    styles: Path | None = None  # its layer's folder, when not under our `styles/`
    env: tuple[str, ...] = field(default=())  # environment variables its bytes depend on
    companions: tuple[Companion, ...] = ()  # further files made from its file
    unpacked: bool = False  # its file is a zip the build also unpacks into a folder beside it
    # "module:function": Book -> why it cannot be made for this book, None when it can; a
    # build that names no edition leaves it out, saying why
    unavailable: str | None = None

    def __post_init__(self) -> None:
        if self.styles is not None:
            layers.add_folder(self.layer, self.styles)

    def filename(self, book: Book) -> str:
        """The output file name, e.g. `lighthouse-large-print.pdf`."""
        return f"{book.stem}{self.suffix}"

    def unpacked_into(self, target: Path) -> Path | None:
        """The folder its file is unpacked into beside it (`lighthouse-web/`), if any."""
        return target.with_name(target.name.rsplit(".", 1)[0]) if self.unpacked else None

    @property
    def layers(self) -> tuple[str, ...]:
        """Its style layers in cascade order, base left out: `("print", "large-print")`."""
        return layers.chain(self.layer)

    @property
    def makes_page_map(self) -> bool:
        """Whether the print page map comes from this edition's layout."""
        return self.page_map is not None

    def key_layers(self) -> tuple[str, ...]:
        """Every style folder its bytes depend on: base, its layers and the resources they
        load, and the page-map maker's too when it carries the print page numbers."""
        own = [layers.BASE, *self.layers]
        if self.needs_page_map:
            maker = page_map_maker()
            own = [layers.BASE, *layers.resources(maker.layer), *maker.layers, *self.layers]
        return tuple(dict.fromkeys([*own, *layers.resources(self.layer)]))

    def identify(self, meta: Metadata) -> str:
        """The identifier written into its file, so another edition can name it as a source."""
        return self.identifier(meta) if self.identifier else derived_identifier(meta, self.name)

    def env_values(self) -> str:
        """The values of the environment variables it depends on."""
        return " ".join(os.environ.get(name, "") for name in self.env)

    def hook(self, name: str) -> Callable[..., Any]:
        """One of its `"module:function"` entries, imported now."""
        target = getattr(self, name)
        if not target:
            raise LookupError(f"edition {self.name!r} has no {name}")
        return resolve(target)

    def owns(self, file: Path) -> bool:
        """Whether a file (or the folder its zip is unpacked into) is named as this edition
        names its output or a companion."""
        return self.suffix_of(file) is not None

    def suffix_of(self, file: Path) -> str | None:
        """The suffix of its own (or of its unpacked folder), or of a companion's, that a
        file's name ends in."""
        own = self.suffix.rsplit(".", 1)[0] if self.unpacked and file.is_dir() else self.suffix
        for suffix in (own, *(c.suffix for c in self.companions)):
            if file.name.endswith(suffix) and len(file.name) > len(suffix):
                return suffix
        return None

    def companion_paths(self, target: Path) -> list[Path]:
        """Where its companions go beside its file `target`."""
        stem = target.name[: -len(self.suffix)]
        return [target.with_name(stem + c.suffix) for c in self.companions]

    def companion_files(self, target: Path, data: bytes) -> list[tuple[Path, bytes]]:
        """Its companions beside its file `target`, each made from the file's bytes."""
        return [(path, resolve(c.derive)(data))
                for path, c in zip(self.companion_paths(target), self.companions, strict=True)]


def resolve(target: str) -> Callable[..., Any]:
    """A `"module:function"` name, imported."""
    module, function = target.split(":")
    found: Callable[..., Any] = getattr(import_module(module), function)
    return found


EDITIONS: dict[str, Edition] = {}


def register(edition: Edition) -> Edition:
    """Add an edition to the table (a plug-in or a test adds its own this way)."""
    EDITIONS[edition.name] = edition
    return edition


def unregister(name: str) -> None:
    """Take an edition out of the table again."""
    EDITIONS.pop(name, None)


def page_map_maker() -> Edition:
    """The edition whose layout gives the print page map."""
    return next(e for e in EDITIONS.values() if e.makes_page_map)


def print_pages(book: Book, options: Options) -> PageMap:
    """The print page map the build handed over, or laid out now by its maker (which
    imports the layout engine only then)."""
    if options.print_pages is not None:
        return options.print_pages
    pages: PageMap = page_map_maker().hook("page_map")(book)
    return pages


def edition_of(file: Path) -> Edition | None:
    """The edition a file's name says it is, the longest matching suffix winning."""
    matching = [e for e in EDITIONS.values() if e.owns(file)]
    return max(matching, key=lambda e: len(e.suffix_of(file) or ""), default=None)


def stem_of(file: Path, edition: Edition) -> str:
    """The book stem in an edition's (or its companion's, or its folder's) file name."""
    return file.name[: -len(edition.suffix_of(file) or edition.suffix)]


def left_out(book: Book, names: Iterable[str]) -> dict[str, str]:
    """The editions among `names` that cannot be made for this book, each with its reason,
    each said in one line: a build asking for every edition goes on without them."""
    reasons = {}
    for edition in ordered(names):
        reason = edition.hook("unavailable")(book) if edition.unavailable else None
        if reason is not None:
            reasons[edition.name] = reason
            log.log(NOTICE, "%s: left out of this build: %s (--edition %s asks for it anyway)",
                    edition.name, reason, edition.name)
    return reasons


def ordered(names: Iterable[str]) -> list[Edition]:
    """The named editions, each once, in the order asked."""
    return [EDITIONS[name] for name in dict.fromkeys(names)]


# modules of this package, in build order
BUILT_IN = ("print_edition", "epub", "large_print", "braille", "web")
for _module in BUILT_IN:
    import_module(f"{__name__}.{_module}")
