"""Writes of missions' records that every entry path shares.

The dataset import, the admin bulk upload and the announcement form all create their
sources here, so a source is validated the same way and found by its URL the same
way whichever path brings it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from missions.models import Source


@transaction.atomic
def source_get_or_create(
    *, url: str, defaults: dict[str, Any], reason: str
) -> tuple[Source, bool]:
    """The source on file with this URL, reused unchanged; else a new one, validated.

    `defaults` are the new source's other fields and `reason` its history's reason;
    True means created. A new source is checked with `full_clean` (http(s) URL,
    publisher given, lengths), so a bad one raises ValidationError and saves nothing.
    Statistics refresh after the transaction commits, from the save signals.
    """
    source = Source.objects.filter(url=url).first()
    if source is not None:
        return source, False
    source = Source(url=url, **defaults)
    source.full_clean()
    source._change_reason = reason
    source.save()
    return source, True
