"""Settings for bench/load.py: the production settings (DEBUG from the environment,
static files collected into a scratch folder) plus a trivial view as the ceiling.
The trivial view exists only under these settings, never in the site's URLs."""

from page_weight_settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
