"""The version of a record an admin form was opened on, and what changed since.

The version is the newest history row id of the record and of the rows edited on its
page (a mission's staffing reports), so no model needs a version field: every save
through the admin, a service or an import writes a history row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import DeletedObject, ModelChange
from simple_history.utils import get_m2m_reverse_field_name

# A stale form lists at most this many changes; the history page has them all.
MAX_LINES = 8
MAX_VALUE = 60


@dataclass(frozen=True)
class Inline:
    """Rows of another model edited on the record's own page, by their foreign key."""

    model: type[models.Model]
    fk_name: str


def has_history(model: type[models.Model]) -> bool:
    """Whether django-simple-history tracks this model."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def _rows(model: type[models.Model], **lookup: Any) -> models.QuerySet:
    history = getattr(model, model._meta.simple_history_manager_attribute)
    return history.filter(**lookup)


def _parts(obj: models.Model, inlines: tuple[Inline, ...]) -> list[models.QuerySet]:
    """The history rows the version covers: the record's, then each inline's."""
    record = _rows(type(obj), **{obj._meta.pk.attname: obj.pk})
    return [record] + [_rows(i.model, **{i.fk_name: obj.pk}) for i in inlines]


def record_version(obj: models.Model, inlines: tuple[Inline, ...] = ()) -> str:
    """The newest history row id of the record and of each inline, e.g. "312.305"."""
    newest = [
        rows.aggregate(n=Max("history_id"))["n"] or 0 for rows in _parts(obj, inlines)
    ]
    return ".".join(str(n) for n in newest)


def lock_record(obj: models.Model, inlines: tuple[Inline, ...] = ()) -> None:
    """Lock the record's row and its inline rows until the transaction ends.

    A concurrent save waits here and then reads the version this one wrote. SQLite
    ignores the lock; it lets one writer at a time anyway.
    """
    model = type(obj)
    list(model._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    for inline in inlines:
        rows = inline.model._base_manager.filter(**{inline.fk_name: obj.pk})
        list(rows.select_for_update().values_list("pk"))


def changes_since(
    obj: models.Model, version: str, inlines: tuple[Inline, ...] = ()
) -> list[str]:
    """One line per history row written after `version`: fields, who, when, why."""
    try:
        seen = [int(n) for n in version.split(".")]
    except ValueError:
        seen = []
    parts = _parts(obj, inlines)
    if len(seen) != len(parts):
        seen = [0] * len(parts)  # a form from before this check: show everything
    lines: list[str] = []
    for index, (rows, since) in enumerate(zip(parts, seen, strict=True)):
        newer = rows.filter(history_id__gt=since).select_related("history_user")
        newer = newer.order_by("history_id")
        lines += [_line(row, rows, named=index > 0) for row in newer]
    if len(lines) > MAX_LINES:
        more = len(lines) - MAX_LINES
        lines = lines[:MAX_LINES] + [f"… and {more} more (see History)."]
    return lines


def _line(row: models.Model, rows: models.QuerySet, *, named: bool) -> str:
    model = row.instance_type
    pk_name = model._meta.pk.attname
    pk = getattr(row, pk_name)
    # The record's own rows need no name; an inline row says which one it is.
    label = f"{model._meta.verbose_name} #{pk}: " if named else ""
    if row.history_type == "+":
        what = "added"
    elif row.history_type == "-":
        what = "deleted"
    else:
        previous = (
            rows.filter(**{pk_name: pk}, history_id__lt=row.history_id)
            .order_by("-history_id")
            .first()
        )
        what = _fields(row, previous)
    who = row.history_user.get_username() if row.history_user else "an import"
    when = timezone.localtime(row.history_date).strftime("%d %b %Y %H:%M")
    reason = row.history_change_reason or "no reason given"
    return f"{label}{what} (by {who}, {when}, reason: “{reason}”)"


def _fields(row: models.Model, previous: models.Model | None) -> str:
    if previous is None:
        return "changed"
    delta = row.diff_against(previous, foreign_keys_are_objs=True)
    model = row.instance_type
    said = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        name = capfirst(field.verbose_name)
        if field.many_to_many:
            said.append(f"{name} changed")
        else:
            said.append(f"{name}: {_value(change.old)} → {_value(change.new)}")
    return "; ".join(said) or "saved with no field changed"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def m2m_changes(
    records: list[models.Model], *, foreign_keys_are_objs: bool = True
) -> dict[int, list[ModelChange]]:
    """The many-to-many changes between each history row and the next one in
    `records` (one record's rows, newest first), keyed by the newer row's history id.

    What `diff_against` reports for these fields, read in one query per field for
    the whole list rather than two per row.
    """
    if not records:
        return {}
    history_model = type(records[0])
    found: dict[int, list[ModelChange]] = defaultdict(list)
    for field in history_model._history_m2m_fields:
        rows_model = getattr(history_model, field.name).model
        names = [
            f.name
            for f in rows_model._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        rows = rows_model._default_manager.filter(
            history_id__in=[record.history_id for record in records]
        ).order_by(get_m2m_reverse_field_name(field))
        if foreign_keys_are_objs:
            rows = rows.select_related(*names)
        by_version: dict[int, list[models.Model]] = defaultdict(list)
        for row in rows:
            by_version[row.history_id].append(row)
        for newer, older in pairwise(records):
            old = [_ids(row, names) for row in by_version[older.history_id]]
            new = [_ids(row, names) for row in by_version[newer.history_id]]
            if old == new:
                continue
            if foreign_keys_are_objs:
                old = [_objs(row, names) for row in by_version[older.history_id]]
                new = [_objs(row, names) for row in by_version[newer.history_id]]
            found[newer.history_id].append(ModelChange(field.name, old, new))
    return found


def _ids(row: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(row, row._meta.get_field(name).attname) for name in names}


def _objs(row: models.Model, names: list[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        field = row._meta.get_field(name)
        try:
            value = getattr(row, name)
        except ObjectDoesNotExist:
            value = None
        if value is None:  # the related row is gone (history keeps no constraint)
            value = DeletedObject(field.related_model, getattr(row, field.attname))
        values[name] = value
    return values
