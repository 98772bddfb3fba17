"""Headless Chromium for browser tests: a page that records errors and hosts."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class Visit:
    """A page with its console errors and every host it requested."""

    def __init__(self, browser, live_server, width: int = 1280):
        self.base = live_server.url
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Network requests only: data: and blob: URLs (image downloads) have no host.
        self.page.on(
            "request",
            lambda r: (
                self.hosts.add(urlparse(r.url).netloc)
                if r.url.startswith("http")
                else None
            ),
        )
        self.page.on(
            "response",
            lambda r: (
                self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
            ),
        )

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        """A full-page screenshot in tests/artifacts/, with BROWSER_SCREENSHOTS=1 only
        (each costs up to a second, and nothing asserts on them)."""
        if os.environ.get("BROWSER_SCREENSHOTS") != "1":
            return
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.hosts == {urlparse(self.base).netloc}

    def pick(self, name: str, term: str, label: str) -> None:
        """Choose `label` in an admin autocomplete select by typing `term` into it."""
        self.page.click(f"#id_{name} + .select2 .select2-selection")
        self.page.keyboard.type(term)
        option = self.page.locator(".select2-results__option", has_text=label)
        option.first.click()
        chosen = self.page.locator(f"#id_{name} option:checked", has_text=label)
        chosen.wait_for(state="attached")
