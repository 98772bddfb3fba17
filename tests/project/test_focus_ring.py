"""The keyboard focus ring stands out (WCAG 1.4.11, 3:1) on every background it sits
on, computed from the colours static/css/site.css declares."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def _var(name: str) -> str:
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\b", CSS)
    assert match, f"--{name} is not a 6-digit hex colour in site.css"
    return match.group(1)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _focus_rule() -> tuple[str, str]:
    match = re.search(r"([^{}]*:focus-visible[^{}]*)\{([^}]*)\}", CSS)
    assert match, "no :focus-visible rule"
    return match.group(1), match.group(2)


def test_the_focus_ring_has_3_to_1_on_the_page_and_the_filter_panel():
    ring, halo = _var("focus-ring"), _var("focus-halo")
    for background in ("bg", "panel"):
        assert contrast(ring, _var(background)) >= 3, background
    # On a dark element (a blue button, a status badge) the halo separates the
    # ring from it: ring and halo differ by 3:1 too.
    assert contrast(ring, halo) >= 3
    assert contrast(halo, _var("accent")) >= 3


def test_every_focusable_kind_uses_the_ring_summary_included():
    selectors, body = _focus_rule()
    for element in ("a", "button", "input", "select", "summary"):
        assert f"{element}:focus-visible" in selectors
    assert "var(--focus-ring)" in body and "var(--focus-halo)" in body
    # The filter panel's background is the variable the contrast is checked with.
    assert re.search(r"\.filters \{[^}]*background: var\(--panel\)", CSS)
