#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

from dotenv import load_dotenv

# Local development settings written by `make run` (DEBUG=true and the like). Only
# manage.py reads this file: gunicorn and Celery never do, the Docker image leaves it
# out (.dockerignore), and a variable already set in the environment wins.
LOCAL_ENV_FILE = Path(__file__).resolve().parent / ".env"


def main() -> None:
    """Run administrative tasks."""
    load_dotenv(LOCAL_ENV_FILE, override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
