"""Pure text helpers of the news watch: normalising, rule matching, country guessing.

Nothing here writes; `country_names()` is the only read (the countries table, once
per fetch run).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from countries.models import Country

ALIASES = Path(__file__).resolve().parent / "country_aliases.csv"
# Query parameters that only say where a reader clicked from.
TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref"}
# Two titles this similar (difflib ratio of their keys) are the same story.
SIMILAR_TITLES = 0.9
DEFAULT_PORTS = {"http": 80, "https": 443}


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def title_key(title: str) -> str:
    """The key under which near-identical titles meet."""
    return fold(title)[:500]


def similar_title(key: str, others: Iterable[str]) -> bool:
    """Whether `key` is the same title as one of `others`, give or take a word."""
    matcher = difflib.SequenceMatcher(a=key)
    for other in others:
        matcher.set_seq2(other)
        if matcher.real_quick_ratio() < SIMILAR_TITLES:
            continue
        if (
            matcher.quick_ratio() >= SIMILAR_TITLES
            and matcher.ratio() >= SIMILAR_TITLES
        ):
            return True
    return False


def normalize_url(url: str) -> str:
    """The URL without what differs between two links to one article: case of scheme
    and host, default port, fragment and tracking parameters (utm_* and the like)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(fold(phrase))}\b")


def matching_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases found in `text` as whole words, ignoring case and accents."""
    folded, found = fold(text), {}
    for phrase in phrases:
        # The same phrase may be a rule in two languages: report it once.
        if fold(phrase) and _phrase_pattern(phrase).search(folded):
            found.setdefault(fold(phrase), phrase)
    return list(found.values())


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[str, str], ...]:
    with ALIASES.open(encoding="utf-8") as handle:
        return tuple((row["iso3"], row["name"]) for row in csv.DictReader(handle))


def country_names() -> dict[str, str]:
    """Folded country name -> ISO3, from the countries table and the alias list
    (Spanish and Portuguese names, and short English ones)."""
    names: dict[str, str] = {}
    known = set()
    for iso3, name in Country.objects.values_list("iso3", "name"):
        known.add(iso3)
        # "Bolivia (Plurinational State of)" is written "Bolivia" in the news.
        names[fold(re.sub(r"\(.*?\)", "", name))] = iso3
    for iso3, name in _aliases():
        if iso3 in known:
            names[fold(name)] = iso3
    names.pop("", None)
    return names


def guess_countries(text: str, names: dict[str, str]) -> list[str]:
    """ISO3 codes of the countries named in `text`, in order of first mention."""
    folded = f" {fold(text)} "
    found: list[tuple[int, str]] = []
    # Longest names first, so "guinea bissau" is not also read as "guinea".
    for name in sorted(names, key=len, reverse=True):
        at = folded.find(f" {name} ")
        if at >= 0:
            found.append((at, names[name]))
            folded = folded.replace(f" {name} ", " " + "#" * len(name) + " ")
    seen: dict[str, None] = {}
    for _, iso3 in sorted(found):
        seen.setdefault(iso3)
    return list(seen)
