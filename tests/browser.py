"""Shared by the browser tests: Debian's Chromium under Playwright, and axe-core (as
`scripts/install-validators.sh` installs it) run at WCAG 2.2 AA on a page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_source() -> str:
    """axe-core as `scripts/install-validators.sh` installs it (npm, under VAL_HOME)."""
    home = Path(os.environ.get("VAL_HOME", Path.home() / ".cache" / "validators"))
    script = home / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    assert script.is_file(), f"axe-core not found at {script}: run `make validators`"
    return script.read_text()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, as root on a closed network."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(chromium).is_file(), "Debian's chromium is not installed: make validators"
    return playwright.chromium.launch(executable_path=chromium,
                                      args=["--no-sandbox", "--disable-gpu"])


def axe_violations(page: Page, axe: str) -> list[str]:
    """The WCAG 2.2 AA violations axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe)  # through the DevTools protocol: the page's CSP still holds
    found: list[dict[str, Any]] = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG_22_AA)
    return [f"{v['id']}: {', '.join(v['nodes'])}" for v in found]
