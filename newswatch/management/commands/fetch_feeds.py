"""Fetch the news watch's due feeds now, without a worker."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from newswatch.models import Feed
from newswatch.services import newswatch_fetch_due


class Command(BaseCommand):
    help = "Fetch the due news feeds and store their new matching items as leads."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="fetch every enabled feed, due or not"
        )

    def handle(self, *args, **options) -> None:
        if options["all"]:
            Feed.objects.filter(enabled=True).update(next_fetch_at=None)
        run = newswatch_fetch_due()
        self.stdout.write(
            f"{run.fetched} feeds read ({run.not_modified} unchanged), "
            f"{run.leads} new leads, {len(run.errors)} errors"
        )
        for url, error in run.errors.items():
            self.stdout.write(f"  {url}: {error}")
