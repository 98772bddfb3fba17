"""The site's settings as production reads them, except that static files are served
unhashed: tests that run the site on gunicorn skip collectstatic, as the rest of the
suite does (see `_uncollected_static` in tests/conftest.py)."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
