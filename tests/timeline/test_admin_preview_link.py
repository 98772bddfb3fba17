"""A publisher reaches a draft's preview-and-publish page from the events admin."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_event

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    """Each link's text and target."""
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    }


def test_a_draft_links_from_its_change_form_to_its_preview(publisher_client):
    draft = make_event(is_published=False, title="Honduras suspends the brigade")
    page = publisher_client.get(
        reverse("admin:timeline_policyevent_change", args=[draft.pk])
    )
    link = _links(page.content.decode())["Preview and publish"]
    assert link == reverse("admin:timeline_policyevent_preview", args=[draft.pk])
    preview = publisher_client.get(link)
    assert preview.status_code == 200
    assert "Honduras suspends the brigade" in preview.content.decode()
    assert reverse("admin:timeline_policyevent_publish", args=[draft.pk]) in (
        preview.content.decode()
    )


def test_the_list_of_drafts_links_each_to_its_preview(publisher_client):
    draft = make_event(is_published=False)
    published = make_event(is_published=True)
    page = publisher_client.get(
        reverse("admin:timeline_policyevent_changelist"), {"is_published__exact": "0"}
    ).content.decode()
    assert reverse("admin:timeline_policyevent_preview", args=[draft.pk]) in page
    listed = publisher_client.get(
        reverse("admin:timeline_policyevent_changelist")
    ).content.decode()
    # A published event needs no publishing: its row offers no preview link.
    assert (
        reverse("admin:timeline_policyevent_preview", args=[published.pk]) not in listed
    )
