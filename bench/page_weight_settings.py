"""The project's settings with static files collected into a scratch folder, for
bench/page_weight.py (STATIC_ROOT is not read from the environment)."""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
