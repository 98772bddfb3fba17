"""Static files: what `collectstatic` leaves out of STATIC_ROOT.

Two libraries ship files the site never serves: drf-spectacular-sidecar's ReDoc
bundle (5 MB with its source map; /api/ uses the sidecar's Swagger UI) and
Django REST framework's browsable-API files (1.6 MB; the API renders JSON only).
Collecting them cost every deployment and every production-site test their hashing
and compression (README, "Static files and plotly.js").
"""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseConfig


class StaticFilesConfig(BaseConfig):
    # Matched against each directory's and file's own name, at any depth.
    ignore_patterns = [*BaseConfig.ignore_patterns, "redoc", "rest_framework"]
