"""Property-based check of the whole API against its own OpenAPI schema (schemathesis).

Every operation of the live schema (/api/schema/, loaded through the WSGI app, no server) is called
with generated requests by an authenticated read/write key: no answer may be a 5xx, and every
answer must conform to the schema (status code documented, content type, headers, body). The
number of examples per operation is bounded (TSUMIKI_SCHEMATHESIS_EXAMPLES, default 12) to keep
the run within a few minutes on a laptop.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.services import api_key_create
from apps.candidates.models import Candidate
from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services import webhook_endpoint_create
from tests.factories import credential, make_candidate, make_job

MAX_EXAMPLES = int(os.environ.get("TSUMIKI_SCHEMATHESIS_EXAMPLES", "25"))
# Invalid requests (negative mode): only "no 5xx" is checked, the answer is a 4xx of some kind.
MAX_NEGATIVE_EXAMPLES = int(os.environ.get("TSUMIKI_SCHEMATHESIS_NEGATIVE_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, org, settings):
    # The WSGI handler closes "old" connections around each request; in a test transaction that would
    # close the test's own connection. Django's test client disconnects the same receivers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "100000/minute"}}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(org) -> str:
    """A key and some data, so that low ids hit real objects as well as 404s."""
    job = make_job(org, ["SQL", "Python programming"], job_id="st-job")
    make_candidate(org, cid="st-cand", credentials=[credential("SQL course", ["SQL"])], skills=["Python"])
    endpoint = webhook_endpoint_create(organization=org, url="https://hr.example.com/h", events=["candidate.rescored"])
    WebhookDelivery.objects.create(endpoint=endpoint, event="candidate.rescored", payload={"data": {}})
    assert job.pk and Candidate.objects.exists()
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    return raw


def test_every_operation_conforms_to_the_schema(api_schema, api_key):
    """One Hypothesis run per operation (the schemathesis pytest plugin's lazy loader does not work
    with pytest 9, so operations are iterated here); failures of all operations are reported together."""
    failures: dict[str, str] = {}
    calls: dict[str, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        calls[label] = 0
        runs = [
            (GenerationMode.POSITIVE, MAX_EXAMPLES, CHECKS),
            (GenerationMode.NEGATIVE, MAX_NEGATIVE_EXAMPLES, [not_a_server_error]),
        ]
        for mode, examples, checks in runs:
            try:
                _hypothesis_test(operation, label, calls, api_key, mode=mode, examples=examples, checks=checks)()
            except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - collect every operation's failure
                failures[f"{label} ({mode.value})"] = str(e)[:3000]
    summary = ", ".join(f"{k}: {v}" for k, v in calls.items())
    print(f"schemathesis: {len(operations)} operations, {sum(calls.values())} calls ({summary})")
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


def _hypothesis_test(operation, label: str, calls: dict[str, int], api_key: str, *, mode, examples: int, checks):
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    def check(case):
        calls[label] += 1
        case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, checks=checks)

    return check
