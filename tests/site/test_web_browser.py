"""The web edition in a real browser: every page of the sample book and of a corpus novel
opened from `file://` in Debian's Chromium, axe-core at WCAG 2.2 AA in light and dark at
1280 and 320 px (zero violations, no sideways scrolling), and the reading controls working.
Screenshots go to $PUBLISH_WEB_PROOF (`make proof`: build/proof/site-*.png)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser import axe_source, axe_violations, launch_chromium
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = [pytest.mark.slow, pytest.mark.browser]
WIDTHS = (1280, 320)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, once for the module."""
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def sample_site(sample_build: Callable[[str], Path]) -> Path:
    """The sample book's web edition, unpacked (shared with other modules: read only)."""
    return sample_build("lighthouse") / "lighthouse-web"


def check_pages(browser: Browser, site: Path, proof: Path | None) -> None:
    """axe finds nothing on any page, light or dark, wide or narrow; nothing scrolls
    sideways at 320 px; the proof gets each page at each width."""
    axe = axe_source()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for html in sorted(site.glob("*.html")):
        page.goto(html.as_uri())
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                assert page.evaluate("document.documentElement.scrollWidth") <= width, \
                    f"{html.name}: scrolls sideways at {width} px ({scheme})"
                violations = axe_violations(page, axe)
                assert violations == [], f"{html.name} at {width} px ({scheme}): {violations}"
                if proof is not None and (scheme == "light" or html.name == "index.html"):
                    page.screenshot(path=proof / f"{site.name}-{html.stem}-{scheme}-{width}.png",
                                    full_page=True)
    page.close()


def proof_folder() -> Path | None:
    """Where `make proof` wants the screenshots, if it does."""
    folder = os.environ.get("PUBLISH_WEB_PROOF")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def test_every_page_of_the_sample_book_passes_axe(browser: Browser, sample_site: Path) -> None:
    check_pages(browser, sample_site, proof_folder())


def test_every_page_of_a_corpus_novel_passes_axe(
        browser: Browser, corpus_build: Callable[[str], Path]) -> None:
    check_pages(browser, corpus_build("gullivers-travels.md") / "gullivers-travels-web", None)


def test_the_controls_change_size_and_spacing_and_stay(browser: Browser,
                                                      sample_site: Path) -> None:
    page = browser.new_page()
    page.goto((sample_site / "index.html").as_uri())
    before = _font_size(page)
    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Line spacing").click()
    assert _font_size(page) > before
    with page.expect_navigation():
        page.get_by_role("link", name="Next").first.click()
    assert _font_size(page) > before  # kept from page to page
    assert page.evaluate("getComputedStyle(document.body).lineHeight") != "normal"


def test_the_pages_read_without_javascript(browser: Browser, sample_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page: Page = context.new_page()
    page.goto((sample_site / "index.html").as_uri())
    assert page.get_by_role("button").count() == 0
    page.get_by_role("link", name="Next").first.click()
    assert page.get_by_role("heading", level=1).count() == 1
    context.close()


def _font_size(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))
