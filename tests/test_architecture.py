"""The shape of the package: one door to the layout engine, no import cycle between its
parts, one meaning per class name. Read from the source, so a change that breaks the shape
fails here rather than in review."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "publish"
ENGINE = PACKAGE / "pdf" / "engine.py"
# WeasyPrint's and pydyf's internals, and the engines themselves
PRIVATE = re.compile(r"\._page_box\b|\b_build_box_tree\b|\bpage_references\b|"
                     r"^\s*(?:from|import) (?:weasyprint|pydyf)\b", re.MULTILINE)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _part(module: str) -> str:
    """The part of the package a module belongs to: a subpackage, or a top-level module."""
    return ".".join(module.split(".")[:2])


def _imports(module: str, path: Path) -> Iterator[str]:
    """Every `publish` module this one imports, at its top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("publish"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            name = node.module if node.level == 0 else _relative(module, path, node)
            if name.startswith("publish"):
                yield name


def _relative(module: str, path: Path, node: ast.ImportFrom) -> str:
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    return ".".join([*base[: len(base) - node.level + 1], node.module or ""])


def test_only_the_engine_module_touches_weasyprint_and_pydyf() -> None:
    touching = [path.relative_to(PACKAGE).as_posix() for _module, path in _modules()
                if PRIVATE.search(path.read_text("utf-8"))]
    assert touching == [ENGINE.relative_to(PACKAGE).as_posix()]


def test_the_engine_says_which_weasyprint_it_supports() -> None:
    from publish.pdf import engine

    assert engine.SUPPORTED and "70.0" in engine.SUPPORTED


def test_no_import_cycle_between_the_parts_of_the_package() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in _modules():
        for imported in _imports(module, path):
            if _part(imported) != _part(module):
                graph[_part(module)].add(_part(imported))
    cycles = [_cycle_from(start, graph) for start in list(graph)]
    assert [c for c in cycles if c] == []


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str]:
    """A path of imports from `start` back to itself, or []."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, trail = stack.pop()
        for following in graph.get(node, ()):
            if following == start:
                return [*trail, start]
            if following not in seen:
                seen.add(following)
                stack.append((following, [*trail, following]))
    return []


def test_no_two_classes_share_a_name() -> None:
    defined: dict[str, list[str]] = defaultdict(list)
    for module, path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                defined[node.name].append(module)
    assert {name: where for name, where in defined.items() if len(where) > 1} == {}


def test_the_import_check_sees_a_cycle_when_there_is_one() -> None:
    assert _cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle_from("a", {"a": {"b"}, "b": {"c"}}) == []


def test_braille_and_the_web_edition_do_not_reach_into_the_pdf_package() -> None:
    reaching = sorted(f"{module} imports {imported}" for module, path in _modules()
                      if _part(module) in ("publish.braille", "publish.site")
                      for imported in _imports(module, path)
                      if _part(imported) == "publish.pdf")
    assert reaching == []
