"""The web page in a real browser: Debian's Chromium driven by Playwright, against a real
`publish serve` with a real worker. The sample book is signed in for, uploaded, built as
large print at 24 pt, followed to the end, downloaded and its report read; once with
JavaScript (live progress) and once without. axe-core checks every page state against
WCAG 2.2 AA in the light and the dark scheme, at 1280 px and at 320 px (no sideways
scrolling at 320 px nor at 640 px, which is 1280 px at 200% zoom). Screenshots of each state
go to $PUBLISH_WEB_PROOF (`make proof`: build/proof/web-*.png)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import axe_source, axe_violations, launch_chromium
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import Api, book_zip, end, running_redis, start_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]
WIDTHS = (1280, 320)
FOCUSABLE = ("a[href], button, input:not([type=hidden]), select, textarea, "
             "[tabindex]:not([tabindex='-1'])")


@dataclass
class Site:
    """The running service, its browser, and where screenshots go."""

    api: Api
    browser: Browser
    axe: str
    proof: Path

    def page(self, javascript: bool = True, width: int = 1280) -> Page:
        """A fresh browser context (its own cookies) with one page."""
        context = self.browser.new_context(java_script_enabled=javascript,
                                           viewport={"width": width, "height": 900},
                                           accept_downloads=True, base_url=self.api.base)
        return context.new_page()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`publish serve` with its own Redis and one worker, and Debian's Chromium."""
    proof = Path(os.environ.get("PUBLISH_WEB_PROOF") or tmp_path_factory.mktemp("proof"))
    proof.mkdir(parents=True, exist_ok=True)
    with running_redis() as url, sync_playwright() as playwright:
        api, process = start_server(url, tmp_path_factory.mktemp("data"), "--workers", "1")
        browser = launch_chromium(playwright)
        try:
            yield Site(api, browser, axe_source(), proof)
        finally:
            browser.close()
            end(process)


def check_state(site: Site, page: Page, name: str) -> None:
    """axe at WCAG 2.2 AA finds nothing, light and dark, wide and narrow; nothing scrolls
    sideways at 320 px or at 200% zoom; a screenshot of each width goes to the proof."""
    width = page.viewport_size["width"] if page.viewport_size else 1280
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        for size in (*WIDTHS, 640):
            page.set_viewport_size({"width": size, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= size, \
                f"{name}: scrolls sideways at {size} px ({scheme})"
            if size in WIDTHS:
                violations = _axe(site, page)
                assert violations == [], f"{name} at {size} px ({scheme}): {violations}"
                if scheme == "light":
                    page.screenshot(path=site.proof / f"web-{name}-{size}.png", full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": width, "height": 900})


def _axe(site: Site, page: Page) -> list[str]:
    """The WCAG 2.2 AA violations axe finds on the page as it is now."""
    return axe_violations(page, site.axe)


def sign_in(site: Site, page: Page, token: str) -> None:
    """Sign in through the form."""
    page.goto("/")
    page.get_by_label("API token", exact=True).fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def upload_book(page: Page, tmp_path: Path) -> None:
    """Upload the sample book folder, zipped, through the form."""
    archive = tmp_path / "lighthouse.zip"
    archive.write_bytes(book_zip())
    page.get_by_label("Manuscript file", exact=True).set_input_files(archive)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/titles/*")


def report_when_ready(page: Page) -> None:
    """Open the report, following its 'Check again' link until the validators are done."""
    page.get_by_role("link", name="Read the check report").first.click()
    deadline = time.monotonic() + 300
    while page.get_by_role("link", name="Check again").count():
        assert time.monotonic() < deadline, "the report was not ready within 300 s"
        time.sleep(2)
        page.get_by_role("link", name="Check again").click()
    assert page.get_by_role("heading", name="Validators").is_visible()


def test_the_flow_with_live_progress(site: Site, tmp_path: Path) -> None:
    page = site.page()
    page.goto("/")
    check_state(site, page, "sign-in")
    page.get_by_label("API token", exact=True).fill("pub_not-a-token")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    check_state(site, page, "sign-in-error")
    sign_in(site, page, site.api.token("alice"))
    check_state(site, page, "titles-empty")
    hostile = tmp_path / "notes.html"
    hostile.write_text("<script>alert(1)</script>")
    page.get_by_label("Manuscript file", exact=True).set_input_files(hostile)
    page.get_by_role("button", name="Upload and check").click()
    assert "upload a .md file" in page.get_by_role("alert").inner_text()
    check_state(site, page, "upload-error")
    upload_book(page, tmp_path)
    assert page.get_by_role("heading", level=1).inner_text() == "The Light at Skerrow"
    check_state(site, page, "title")
    page.get_by_label("Type size in points", exact=True).fill("12")
    page.get_by_role("button", name="Build this edition").click()
    assert "14-48 pt" in page.get_by_role("alert").inner_text()
    check_state(site, page, "title-error")
    page.get_by_label("Type size in points", exact=True).fill("24")
    page.get_by_role("button", name="Build this edition").click()
    page.wait_for_url("**/jobs/*")
    page.evaluate("""() => { window.said = [];
        new MutationObserver(() => window.said.push(
            document.getElementById('job-status').textContent)).observe(
            document.getElementById('job-status'), {childList: true, characterData: true,
                                                    subtree: true}); }""")
    assert page.locator("#job-refresh").is_hidden()  # the script follows the job itself
    check_state(site, page, "job-running")
    page.locator("#job-done").wait_for(state="visible", timeout=300_000)
    said = page.evaluate("window.said")
    assert said[-1] == "Done: the file is ready to download.", said
    check_state(site, page, "job-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Large-print PDF").click()
    assert download.value.suggested_filename == \
        "the-light-at-skerrow-large-print-24pt.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    report_when_ready(page)
    check_state(site, page, "report")
    page.get_by_role("link", name="Catalogue", exact=True).click()
    assert "Large-print PDF, 24 pt (UKAAF)" in page.locator("main").inner_text()
    check_state(site, page, "catalogue")


def test_the_flow_without_javascript(site: Site, tmp_path: Path) -> None:
    page = site.page(javascript=False)
    sign_in(site, page, site.api.token("bob"))
    upload_book(page, tmp_path)
    page.get_by_label("Type size in points", exact=True).fill("24")
    page.get_by_label("Guidance to follow", exact=True).select_option("aph")  # a build of its own
    page.get_by_role("button", name="Build this edition").click()
    page.wait_for_url("**/jobs/*")
    deadline = time.monotonic() + 300
    while page.locator("#job-done").is_hidden():
        assert time.monotonic() < deadline, "the build did not finish within 300 s"
        assert page.locator("#job-failed").is_hidden(), page.locator("#job-error").inner_text()
        time.sleep(2)
        page.get_by_role("link", name="Check progress again").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Large-print PDF").click()
    assert download.value.suggested_filename.endswith("-large-print-24pt.pdf")
    report_when_ready(page)
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sign in")


def test_braille_with_its_options_and_the_web_edition(site: Site, tmp_path: Path) -> None:
    page = site.page()
    sign_in(site, page, site.api.token("dave"))
    upload_book(page, tmp_path)
    title = page.url
    page.get_by_label("Braille PEF", exact=True).check()
    page.get_by_label("Cells per line", exact=True).fill("90")
    page.get_by_role("button", name="Build this edition").click()
    assert "12-80" in page.get_by_role("alert").inner_text()
    check_state(site, page, "title-braille-error")
    page.get_by_label("Braille PEF", exact=True).check()
    page.get_by_label("Cells per line", exact=True).fill("32")
    page.get_by_label("Lines per page", exact=True).fill("20")
    page.get_by_label("Grade", exact=True).select_option("1")
    page.get_by_role("button", name="Build this edition").click()
    page.wait_for_url("**/jobs/*")
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "Braille PEF (32 cells by 20 lines, grade 1)")
    page.locator("#job-done").wait_for(state="visible", timeout=300_000)
    check_state(site, page, "job-done-braille")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Braille PEF").click()
    assert download.value.suggested_filename == "the-light-at-skerrow-32x20-grade1.pef"
    assert b'cols="32"' in Path(download.value.path()).read_bytes()
    page.goto(title)
    page.get_by_label("Web edition (zipped site)", exact=True).check()
    page.get_by_role("button", name="Build this edition").click()
    page.wait_for_url("**/jobs/*")
    page.locator("#job-done").wait_for(state="visible", timeout=300_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Web edition (zipped site)").click()
    assert download.value.suggested_filename == "the-light-at-skerrow-web.zip"
    page.goto(title)
    built = page.locator("main").inner_text()
    assert "Braille PEF, 32 cells by 20 lines, grade 1" in built
    assert "Web edition (zipped site)" in built


def _focus_walk(page: Page, presses: int) -> list[str]:
    """What each Tab press focuses: its place in the document, tag and text, and whether
    a focus ring shows."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => { const e = document.activeElement;
            const ring = getComputedStyle(e).outlineStyle !== 'none' ? 'ring' : 'NO RING';
            return [[...document.querySelectorAll('*')].indexOf(e), e.tagName,
                    e.textContent.trim().slice(0, 30), ring].join('|'); }"""))
    return seen


def _controls(page: Page) -> int:
    """How many stops Tab should make: each visible control, a radio group once."""
    return int(page.evaluate("""selector => { const groups = new Set(); let count = 0;
        for (const e of document.querySelectorAll(selector)) {
            if (!e.getClientRects().length) continue;
            if (e.type === 'radio') { if (groups.has(e.name)) continue; groups.add(e.name); }
            count++; }
        return count; }""", FOCUSABLE))


def test_keyboard_alone_reaches_every_control_and_is_never_trapped(site: Site,
                                                                   tmp_path: Path) -> None:
    page = site.page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    for _ in range(5):  # past the site's name to the token field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "token":
            break
    page.keyboard.type(site.api.token("carol"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    page.get_by_role("button", name="Use the sample book").focus()
    page.keyboard.press("Enter")  # a newcomer's first title, by keyboard alone
    page.wait_for_url("**/titles/*")
    for path in (page.url, "/", "/catalogue"):
        page.goto(path)
        controls = _controls(page)
        walk = [step for step in _focus_walk(page, controls + 3) if "|BODY|" not in step]
        assert len(set(walk)) == controls, (path, walk)  # every control, then round again
        assert walk[0] == walk[controls], (path, walk)  # no trap: Tab comes back round
        assert not [step for step in walk if step.endswith("NO RING")], walk
    page.goto(page.url.split("/catalogue")[0] + "/")
    page.get_by_role("link", name="The Light at Skerrow").focus()
    page.keyboard.press("Enter")
    page.get_by_label("EPUB 3", exact=True).focus()
    page.keyboard.press("ArrowUp")  # radio buttons move with the arrow keys
    assert page.get_by_label("Large-print PDF", exact=True).is_checked()
    page.get_by_label("Type size in points", exact=True).focus()
    page.keyboard.type("24")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/jobs/*")


def test_the_csp_stops_injected_inline_script(site: Site) -> None:
    page = site.page()
    page.goto("/")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', "
                  "'<img src=\"/nowhere.png\" alt=\"\" onerror=\"window.handled = true\">')")
    page.wait_for_timeout(500)
    assert page.evaluate("[window.injected, window.handled]") == [None, None]
