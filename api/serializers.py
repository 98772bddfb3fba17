"""What the API says of each thing: every sourced value with its source inline, every
date at its precision, and unknown as null (never 0)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import PartialDateField, SourceSerializer
from countries.models import Country
from dashboard.models import AreaStatistic, CountryStatistic, SeriesPoint
from missions.models import Mission, ReportedTotal, StaffingReport
from timeline.models import PolicyEvent


class CountryRefSerializer(serializers.ModelSerializer):
    """A country by its ISO 3166 alpha-3 code and name (English, and Spanish;
    an empty Spanish name means show the English one)."""

    class Meta:
        model = Country
        fields = ("iso3", "name", "name_es")


class CountrySerializer(serializers.ModelSerializer):
    """A country with its UN M49 regions."""

    class Meta:
        model = Country
        fields = (
            "iso3",
            "name",
            "name_es",
            "region",
            "subregion",
            "intermediate_region",
        )


class ReportSerializer(serializers.ModelSerializer):
    """A dated count of the Cuban medical workers on one mission, with its source;
    a count the source does not give is null."""

    mission = serializers.IntegerField(source="mission_id")
    mission_name = serializers.CharField(source="mission.name")
    country = serializers.CharField(source="mission.country_id")
    as_of = PartialDateField("as_of")
    source = SourceSerializer()

    class Meta:
        model = StaffingReport
        fields = (
            "id",
            "mission",
            "mission_name",
            "country",
            "as_of",
            "workers",
            "doctors",
            "other_staff",
            "note",
            "needs_review",
            "source",
        )


class LatestFigureSerializer(serializers.ModelSerializer):
    """A mission's newest figure, with its source."""

    as_of = PartialDateField("as_of")
    source = SourceSerializer()

    class Meta:
        model = StaffingReport
        fields = ("id", "as_of", "workers", "doctors", "other_staff", "source")


class HeadcountSerializer(serializers.Serializer):
    """A mission's best-known headcount, as the statistics refresh chose it."""

    value = serializers.IntegerField(source="headcount")
    basis = serializers.CharField(help_text="staff or doctors (doctors only)")
    as_of = PartialDateField("as_of")
    source = SourceSerializer()


class MissionSerializer(serializers.ModelSerializer):
    """A mission with its dates, its best-known headcount and its newest figure."""

    country = CountryRefSerializer()
    status_as_of = PartialDateField("status_as_of")
    start = PartialDateField("start")
    end = PartialDateField("end")
    headcount = HeadcountSerializer(source="stats", allow_null=True)
    latest_figure = LatestFigureSerializer(source="latest_report", allow_null=True)
    sources = SourceSerializer(many=True)

    class Meta:
        model = Mission
        fields = (
            "id",
            "name",
            "name_es",
            "country",
            "kind",
            "status",
            "status_as_of",
            "start",
            "end",
            "summary",
            "summary_es",
            "headcount",
            "latest_figure",
            "sources",
        )


class EventSerializer(serializers.ModelSerializer):
    """A published policy event, in our own words, with its sources."""

    date = PartialDateField("date")
    affected_countries = CountryRefSerializer(many=True)
    actor_countries = CountryRefSerializer(many=True)
    sources = SourceSerializer(many=True)
    url = serializers.CharField(source="get_absolute_url", help_text="Its page")

    class Meta:
        model = PolicyEvent
        fields = (
            "id",
            "date",
            "title",
            "title_es",
            "kind",
            "summary",
            "summary_es",
            "affected_countries",
            "actor_countries",
            "actor_organisation",
            "figures",
            "sources",
            "url",
        )


class EventRefSerializer(serializers.ModelSerializer):
    """An event in short: date, title, kind and sources."""

    date = PartialDateField("date")
    sources = SourceSerializer(many=True)
    url = serializers.CharField(source="get_absolute_url", help_text="Its page")

    class Meta:
        model = PolicyEvent
        fields = ("id", "date", "title", "title_es", "kind", "sources", "url")


class ReportedTotalSerializer(serializers.ModelSerializer):
    """A worldwide total as one source claims it (never a sum of ours)."""

    source = SourceSerializer()

    class Meta:
        model = ReportedTotal
        fields = ("id", "year", "metric", "value", "note", "source")


class CountryHeadcountSerializer(serializers.Serializer):
    """The sum of a country's current missions' best-known headcounts."""

    value = serializers.IntegerField(source="headcount")
    basis = serializers.CharField(
        help_text="all staff, doctors only, or partly doctors only"
    )
    missions_counted = serializers.IntegerField()
    doctors_only = serializers.IntegerField(
        help_text="Missions whose headcount counts doctors only"
    )
    oldest = PartialDateField("oldest")
    newest = PartialDateField("newest")
    source = SourceSerializer(help_text="The source of the newest figure summed")


class CountryRowSerializer(serializers.Serializer):
    """A host country as the home page's table shows it, for the same filters."""

    iso3 = serializers.CharField()
    name = serializers.CharField()
    name_es = serializers.CharField(help_text="Spanish name; empty: the English")
    status = serializers.CharField(help_text="Its missions' most current status")
    headcount = serializers.SerializerMethodField()
    latest_figure = ReportSerializer(allow_null=True)
    latest_event = EventRefSerializer(allow_null=True)
    url = serializers.CharField(help_text="Its page")

    @extend_schema_field(CountryHeadcountSerializer(allow_null=True))
    def get_headcount(self, row: dict) -> dict | None:
        if row["headcount"] is None:
            return None  # unknown, not 0
        return CountryHeadcountSerializer(row).data


class CountryStatisticSerializer(serializers.ModelSerializer):
    """A host country's stored statistics: missions by status and the headcount."""

    headcount_from = PartialDateField("headcount_from")
    headcount_to = PartialDateField("headcount_to")
    headcount_source = SourceSerializer(allow_null=True)

    class Meta:
        model = CountryStatistic
        fields = (
            "status",
            "missions_current",
            "workers",
            "doctors",
            "headcount",
            "headcount_missions",
            "headcount_doctors_only",
            "headcount_from",
            "headcount_to",
            "headcount_source",
            "first_year",
            "last_year",
            "computed_at",
        )


class CountryHistorySerializer(serializers.Serializer):
    """Everything we hold about one country, each value with its source."""

    country = CountrySerializer()
    statistics = CountryStatisticSerializer(allow_null=True)
    missions = MissionSerializer(many=True)
    staffing_reports = ReportSerializer(many=True)
    events = EventSerializer(many=True)


class AreaStatisticSerializer(serializers.ModelSerializer):
    """Totals for the world or one UN M49 area, from the latest refresh."""

    class Meta:
        model = AreaStatistic
        fields = (
            "level",
            "name",
            "slug",
            "workers",
            "doctors",
            "headcount",
            "headcount_countries",
            "headcount_missions",
            "headcount_doctors_only",
            "missions_current",
            "countries_total",
            "countries_active",
            "countries_phasing_out",
            "computed_at",
        )


class SeriesPointSerializer(serializers.ModelSerializer):
    """One value of a yearly series: our sums, claimed totals (with their source)
    or counts of events; the series are never added together."""

    source = SourceSerializer(allow_null=True)

    class Meta:
        model = SeriesPoint
        fields = ("basis", "metric", "year", "value", "source", "computed_at")
