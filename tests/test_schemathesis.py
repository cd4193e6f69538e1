"""Property-based API tests from /api/openapi.json (schemathesis, in-process WSGI, bounded examples)."""
from __future__ import annotations

import tempfile

import schemathesis
from hypothesis import HealthCheck, settings

from web import create_app

_home = tempfile.TemporaryDirectory(prefix="shien-navi-schemathesis-")
app = create_app({"TESTING": True, "DATA_HOME": _home.name, "RATE_LIMIT": "off"})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_follows_its_openapi_document(case):
    """No 500s, responses match their documented schemas, documented statuses only."""
    case.call_and_validate()
