"""The admin at scale: a busy mission's page, history pages and the big lists do work
bounded by what they show, on the real dataset grown where a test needs it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from countries.admin import EstimatedCountPaginator
from missions.admin import INLINE_REPORTS
from missions.models import Mission, StaffingReport
from tests.admin_support import changed, open_form
from tests.factories import make_source
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db


def _busiest_mission() -> Mission:
    return Mission.objects.annotate(n=Count("reports")).order_by("-n", "pk").first()


def _grow(mission: Mission, total: int) -> None:
    """Older figures for the mission, one a day before its oldest, up to `total`."""
    reports = StaffingReport.objects.filter(mission=mission)
    have = reports.count()
    oldest = reports.order_by("as_of").first()
    StaffingReport.objects.bulk_create(
        StaffingReport(
            mission=mission,
            source_id=oldest.source_id,
            as_of=oldest.as_of - dt.timedelta(days=n),
            workers=100 + n,
        )
        for n in range(1, total - have + 1)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _history_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


# A mission's change page


def test_mission_page_edits_the_newest_figures_and_links_to_the_rest(
    editor_client, real_data
):
    mission = _busiest_mission()
    _grow(mission, 60)
    response = editor_client.get(_change_url(mission))
    page = response.content.decode()
    shown = [int(pk) for pk in re.findall(r'name="reports-\d+-id" value="(\d+)"', page)]
    newest = StaffingReport.objects.filter(mission=mission).order_by("-as_of", "-pk")
    assert shown == list(newest.values_list("pk", flat=True)[:INLINE_REPORTS])
    assert 'name="reports-INITIAL_FORMS" value="20"' in page
    link = f"?mission__id__exact={mission.pk}"
    assert "See all 60 figures" in page and link in page
    rest = editor_client.get(reverse("admin:missions_staffingreport_changelist") + link)
    assert rest.context["cl"].result_count == 60


def test_mission_page_queries_do_not_grow_with_its_figures(editor_client, real_data):
    mission = _busiest_mission()
    url = _change_url(mission)
    editor_client.get(url)  # warm per-process caches
    as_imported = _queries(editor_client, url)
    _grow(mission, 200)
    assert _queries(editor_client, url) == as_imported


def test_saving_the_mission_page_keeps_its_older_figures(editor_client, real_data):
    mission = _busiest_mission()
    _grow(mission, 40)
    newest = StaffingReport.objects.filter(mission=mission).order_by("-as_of", "-pk")
    first, oldest = newest.first(), newest.last()
    fields = open_form(editor_client, _change_url(mission), "mission_form")
    assert fields["reports-0-id"] == [str(first.pk)]
    # The newest figure's source is shown chosen and named, as the autocomplete does.
    page = editor_client.get(_change_url(mission)).content.decode()
    assert f'<option value="{first.source_id}" selected>{first.source}' in page
    response = editor_client.post(
        _change_url(mission),
        changed(fields, **{"reports-0-note": "Rechecked"}, change_reason="Recheck"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StaffingReport.objects.filter(mission=mission).count() == 40
    first.refresh_from_db()
    assert first.note == "Rechecked"
    assert StaffingReport.objects.filter(pk=oldest.pk, as_of=oldest.as_of).exists()


# History pages


def _new_versions(obj, field: str, count: int) -> None:
    """`count` saved versions, each citing one more source (a many-to-many change)."""
    for n in range(count):
        obj._change_reason = f"Another source {n}"
        getattr(obj, field).add(make_source())


@pytest.mark.parametrize(
    ("model", "field"), [(Mission, "sources"), (PolicyEvent, "sources")]
)
def test_history_page_queries_do_not_grow_with_its_versions(
    editor_client, real_data, model, field
):
    obj = model.objects.order_by("pk").first()
    url = _history_url(obj)
    _new_versions(obj, field, 3)
    editor_client.get(url)  # warm per-process caches
    few = _queries(editor_client, url)
    _new_versions(obj, field, 40)
    assert _queries(editor_client, url) == few


@pytest.mark.parametrize("model", [Mission, PolicyEvent])
def test_history_page_says_what_each_version_changed_as_before(
    editor_client, real_data, model, rf
):
    obj = model.objects.order_by("pk").first()
    _new_versions(obj, "sources", 2)
    obj.sources.remove(obj.sources.order_by("pk").first())
    page = editor_client.get(_history_url(obj)).content.decode()
    newest_source = obj.sources.order_by("-pk").first()
    assert newest_source.publisher in page  # the sources added, named in the delta
    # The same deltas as django-simple-history's own reading, query per row and all.
    admin = editor_client.get(_history_url(obj)).context["page_obj"].object_list
    ours = [getattr(record, "history_delta_changes", None) for record in admin]
    records = list(model.history.filter(id=obj.pk))
    model_admin = SimpleHistoryAdmin(model, None)
    model_admin.set_history_delta_changes(rf.get("/"), records)
    theirs = [getattr(record, "history_delta_changes", None) for record in records]
    assert ours == theirs


# The big lists


@pytest.mark.parametrize("model_name", ["staffingreport", "policyevent", "mission"])
def test_big_lists_count_only_once(editor_client, real_data, model_name):
    app = "timeline" if model_name == "policyevent" else "missions"
    response = editor_client.get(reverse(f"admin:{app}_{model_name}_changelist"))
    cl = response.context["cl"]
    assert cl.model_admin.show_full_result_count is False
    assert cl.full_result_count is None
    assert "_facets=True" not in response.content.decode()  # no count of every row


def test_report_years_come_from_the_first_and_last_figure(editor_client, real_data):
    url = reverse("admin:missions_staffingreport_changelist")
    editor_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(url)
    years = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "as_of_year"
        for choice in spec.choices(response.context["cl"])
    ][1:]  # after "All"
    dates = StaffingReport.objects.order_by("as_of").values_list("as_of", flat=True)
    first, last = dates.first().year, dates.last().year
    assert years == [str(year) for year in range(last, first - 1, -1)]
    scans = [
        q["sql"]
        for q in ctx.captured_queries
        if "missions_staffingreport" in q["sql"] and "DISTINCT" in q["sql"]
    ]
    assert scans == []


# PostgreSQL: the indexes exist and the planner can use them

INDEXES = {
    "missions_staffingreport": {
        "report_newest",
        "report_mission_newest",
        "report_flagged_newest",
    },
    "timeline_policyevent": {
        "event_newest",
        "event_published_newest",
        "event_recently_published",
    },
    "countries_country": {"country_by_name"},
}


def test_list_orderings_have_their_indexes(postgres):
    with connection.cursor() as cursor:
        for table, names in INDEXES.items():
            found = connection.introspection.get_constraints(cursor, table)
            assert names <= found.keys(), table


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # Tiny tables would be read whole: ask whether the index can serve the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


def test_list_orderings_read_their_index(postgres, real_data):
    reports = StaffingReport.objects.select_related("mission__country", "source")
    events = PolicyEvent.objects.all()
    plans = {
        "report_newest": reports.order_by("-as_of", "-pk")[:50],
        "report_mission_newest": reports.filter(mission=_busiest_mission()).order_by(
            "-as_of", "-pk"
        )[:20],
        "report_flagged_newest": reports.filter(needs_review=True).order_by(
            "-as_of", "-pk"
        )[:50],
        "event_newest": events.order_by("-date", "-pk")[:50],
        "event_published_newest": events.published().newest_first()[:50],
        "event_recently_published": events.published().newest_published_first()[:50],
        # /missions/ and the API: by country name, then mission name.
        "country_by_name": Mission.objects.select_related("country").order_by(
            "country__name", "name"
        )[:50],
    }
    for index, queryset in plans.items():
        plan = _plan(queryset)
        assert re.search(rf"Index (Only )?Scan( Backward)? using {index}\b", plan), (
            index,
            plan,
        )


def test_unfiltered_big_list_counts_from_the_estimate(
    editor_client, real_data, postgres, monkeypatch
):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE missions_staffingreport")
    # The real dataset is small: make it count as big.
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 100)
    url = reverse("admin:missions_staffingreport_changelist")
    with CaptureQueriesContext(connection) as ctx:
        page = editor_client.get(url).content.decode()
    total = StaffingReport.objects.count()
    assert f"about {total} staffing reports" in page
    assert not [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    filtered = editor_client.get(url, {"needs_review__exact": "0"}).content.decode()
    line = re.search(r'class="paginator">(.*?)</p>', filtered, re.S).group(1)
    exact = StaffingReport.objects.filter(needs_review=False).count()
    assert f"{exact} staffing reports" in line and "about" not in line
