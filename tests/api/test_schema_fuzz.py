"""Schemathesis against the OpenAPI document, on the real dataset: generated
requests (valid and invalid parameters) to every operation never get a 5xx, and
every answer matches the document (status, content type, body)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# 9 operations × this many examples (valid and invalid) keep the run near 30 s.
EXAMPLES = 60


def _document() -> dict:
    """The document /api/v1/schema/ serves, built without a request (schemathesis'
    own fixture loader does not run under this pytest)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


# Schemathesis' coverage phase (every parameter's boundaries and wrong types, a few
# hundred requests) is the bulk of the run; the fuzzing phase adds EXAMPLES.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = get_wsgi_application()  # in-process: requests see the test database


@pytest.fixture
def _keep_connection():
    """As Django's test client does, requests leave the connection open: closing
    it would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, real_data, _keep_connection):
    # The WSGI client would not undo our gzip.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
