"""The UN M49 region names the dataset uses, listed for the translation catalogue.

Countries store their M49 areas in English (the dataset's words, also used in URLs
as slugs); pages show them through `gettext`, so each name must be a msgid.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

M49_NAMES = [
    gettext_noop("Africa"),
    gettext_noop("Americas"),
    gettext_noop("Asia"),
    gettext_noop("Europe"),
    gettext_noop("Oceania"),
    gettext_noop("Australia and New Zealand"),
    gettext_noop("Caribbean"),
    gettext_noop("Central America"),
    gettext_noop("Central Asia"),
    gettext_noop("Eastern Africa"),
    gettext_noop("Eastern Asia"),
    gettext_noop("Eastern Europe"),
    gettext_noop("Latin America and the Caribbean"),
    gettext_noop("Melanesia"),
    gettext_noop("Micronesia"),
    gettext_noop("Middle Africa"),
    gettext_noop("Northern Africa"),
    gettext_noop("Northern America"),
    gettext_noop("Northern Europe"),
    gettext_noop("Polynesia"),
    gettext_noop("South America"),
    gettext_noop("South-eastern Asia"),
    gettext_noop("Southern Africa"),
    gettext_noop("Southern Asia"),
    gettext_noop("Southern Europe"),
    gettext_noop("Sub-Saharan Africa"),
    gettext_noop("Western Africa"),
    gettext_noop("Western Asia"),
    gettext_noop("Western Europe"),
]


def area_name(name: str) -> str:
    """An M49 area's name in the active language (unknown names as they are)."""
    return gettext(name) if name else name


def translated_choices(choices: list) -> list:
    """Area choices, grouped or not, with every label and group name translated."""
    return [
        (area_name(str(value)), translated_choices(label))
        if isinstance(label, list | tuple)
        else (value, area_name(str(label)))
        for value, label in choices
    ]
