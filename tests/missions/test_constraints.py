"""The database itself rejects impossible staffing figures, whatever writes them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from missions.models import StaffingReport
from tests.factories import make_mission, make_report, make_source

pytestmark = pytest.mark.django_db


def _insert(**counts):
    mission, source = make_mission(), make_source()
    columns = {"workers": None, "doctors": None, "other_staff": None, **counts}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO missions_staffingreport "
            "(mission_id, source_id, as_of, as_of_precision,"
            " workers, doctors, other_staff, note, needs_review)"
            " VALUES (%s, %s, %s, 'day', %s, %s, %s, '', FALSE)",
            [mission.pk, source.pk, dt.date(2025, 1, 1), *columns.values()],
        )


@pytest.mark.parametrize(
    "counts",
    [
        {"workers": 412, "doctors": 500},
        {"workers": -1},
        {"doctors": -5},
        {"other_staff": -2},
        {},
    ],
    ids=[
        "doctors-exceed-workers",
        "negative-workers",
        "negative-doctors",
        "negative-other",
        "no-count",
    ],
)
def test_database_rejects_impossible_counts(counts):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(**counts)


def test_database_accepts_doctors_only_and_a_sourced_zero():
    _insert(doctors=126)
    _insert(workers=0, doctors=0)


@pytest.mark.parametrize(
    ("workers", "doctors"),
    [(412, 500), (0, 1), (412, 412), (0, 0), (None, 500), (500, None)],
)
def test_the_models_doctors_rule_is_the_database_constraint(workers, doctors):
    """Forms and importers ask StaffingReport.check_counts; the database agrees."""
    try:
        StaffingReport.check_counts(workers=workers, doctors=doctors)
    except ValidationError as exc:
        refused = exc.message_dict == {
            "doctors": ["Doctors cannot outnumber all medical workers."]
        }
    else:
        refused = False
    try:
        with transaction.atomic():
            _insert(workers=workers, doctors=doctors)
    except IntegrityError:
        stored = False
    else:
        stored = True
    assert refused is not stored


def test_postgres_rejects_a_future_figure(postgres):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(as_of=tomorrow)


def test_model_validation_explains_the_rule_in_plain_words():
    report = make_report(workers=412, doctors=333)
    report.doctors = 500
    with pytest.raises(
        ValidationError, match="Doctors cannot outnumber all medical workers"
    ):
        report.full_clean()
    report.doctors, report.as_of = 333, dt.date.today() + dt.timedelta(days=40)
    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        report.full_clean()


def test_same_source_cannot_give_two_figures_for_one_date():
    report = make_report()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(mission=report.mission, source=report.source, as_of=report.as_of)
