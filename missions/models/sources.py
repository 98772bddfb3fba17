"""Sources: the publications every figure and event cites."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from countries.dates import Precision, format_partial_date

__all__ = ["SOURCE_URL_MESSAGE", "Source"]

SOURCE_URL_MESSAGE = (
    "A source must be a valid web address starting with http:// or https://."
)


class Source(models.Model):
    """A publication that states a fact; every figure and event cites at least one."""

    # Web pages only (never ftp:, mailto: or javascript:, which a page would link to).
    # The admin, the announcement form and the importer all check a URL with this
    # field's validators, through `Source.validate_url`.
    url = models.URLField(
        "URL",
        max_length=600,
        unique=True,
        validators=[
            URLValidator(schemes=["http", "https"], message=SOURCE_URL_MESSAGE)
        ],
    )
    publisher = models.CharField(max_length=300)
    title = models.CharField(max_length=300, blank=True)
    published = models.DateField("publication date", null=True, blank=True)
    published_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    language = models.CharField(max_length=10, blank=True, help_text="e.g. en, es, pt")

    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "url"]

    def __str__(self) -> str:
        when = self.published_display
        return f"{self.publisher} ({when})" if when else self.publisher

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision)

    @classmethod
    def validate_url(cls, url: str) -> None:
        """Raise ValidationError unless `url` passes the validators of `Source.url`.

        URLField also runs Django's generic URLValidator, which refuses a subset of
        what the http(s) validator refuses, so its vaguer message is left out.
        """
        messages: list[str] = []
        for validator in cls._meta.get_field("url").validators:
            if validator in models.URLField.default_validators:
                continue
            try:
                validator(url)
            except ValidationError as exc:
                messages += exc.messages
        if messages:
            raise ValidationError(messages)
