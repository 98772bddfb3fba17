"""source_get_or_create: the one place a source is created, whatever the entry path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from missions.models import SOURCE_URL_MESSAGE, Source
from missions.services import source_get_or_create
from tests.factories import make_source

pytestmark = pytest.mark.django_db
URL = "https://news.example.org/guatemala"


def test_creates_a_new_source_with_its_reason():
    source, created = source_get_or_create(
        url=URL, defaults={"publisher": "Example News"}, reason="bulk upload"
    )
    assert created and source.pk and source.publisher == "Example News"
    assert source.history.get().history_change_reason == "bulk upload"


def test_reuses_the_source_on_file_unchanged():
    on_file = make_source(url=URL, publisher="AFP")
    source, created = source_get_or_create(
        url=URL, defaults={"publisher": "Someone else"}, reason="bulk upload"
    )
    assert (source, created) == (on_file, False)
    on_file.refresh_from_db()
    assert on_file.publisher == "AFP" and on_file.history.count() == 1


@pytest.mark.parametrize(
    ("url", "defaults", "message"),
    [
        ("ftp://example.org/a", {"publisher": "X"}, SOURCE_URL_MESSAGE),
        ("javascript:alert(1)", {"publisher": "X"}, SOURCE_URL_MESSAGE),
        (URL, {"publisher": ""}, "This field cannot be blank."),
    ],
)
def test_refuses_an_invalid_new_source_and_saves_nothing(url, defaults, message):
    with pytest.raises(ValidationError) as excinfo:
        source_get_or_create(url=url, defaults=defaults, reason="x")
    assert message in excinfo.value.messages
    assert not Source.objects.exists() and not Source.history.exists()
