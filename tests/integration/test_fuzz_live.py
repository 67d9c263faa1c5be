"""Schemathesis against a LIVE server on PostgreSQL: every operation of /api/schema/, generated
requests (valid and invalid, coverage, fuzzing and the stateful phase that chains the links between
operations), sent over HTTP to a ``manage.py runserver`` started here with DEBUG on (the `make run`
setup, where Django's error pages would show). No answer may be a 5xx, none may break the schema.

``make test`` runs it with a fixed seed and a bounded number of cases (TSUMIKI_FUZZ_EXAMPLES per
operation, default 10; a few minutes). ``make fuzz`` runs it with a random seed and thousands of cases.
Under CI=true a missing PostgreSQL fails the run instead of skipping it (tests/integration/conftest.py).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from apps.accounts.services import api_key_create
from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services import webhook_endpoint_create
from tests.factories import OrganizationFactory, credential, make_candidate, make_job

from .conftest import ROOT, _test_db_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("TSUMIKI_FUZZ_EXAMPLES", "10"))
SEED = os.environ.get("TSUMIKI_FUZZ_SEED", "20261202")
MAX_TIME = os.environ.get("TSUMIKI_FUZZ_MAX_TIME", "")  # seconds; fuzzing repeats until spent
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "missing_required_header",
        "ignored_auth",
        "use_after_free",
        "ensure_resource_availability",
    ]
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server_url(services, tmp_path):
    """``manage.py runserver`` on the test database, DEBUG on, tasks in-process, no rate limit."""
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=_test_db_url(),
        CELERY_BROKER_URL="",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DJANGO_DEBUG="true",
        TSUMIKI_API_RATE="1000000/minute",
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "runserver.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise AssertionError("runserver did not start: " + (tmp_path / "runserver.log").read_text()[-3000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def _seed() -> str:
    """Data so that low ids hit real objects as well as 404s; returns a read/write key."""
    org = OrganizationFactory(slug="fuzz-org")
    make_job(org, ["SQL", "Python programming"], job_id="fz-job")
    make_candidate(org, cid="fz-cand", credentials=[credential("SQL course", ["SQL"])], skills=["Python"])
    endpoint = webhook_endpoint_create(organization=org, url="https://hr.example.com/h", events=["candidate.rescored"])
    WebhookDelivery.objects.create(endpoint=endpoint, event="candidate.rescored", payload={"data": {}})
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    return raw


def _warm(url: str, key: str) -> None:
    """The skill encoders load in the background after start-up (503 with Retry-After meanwhile, by
    design): wait for them, so that the fuzzing sees the server as clients normally do."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        r = requests.post(
            f"{url}/api/v1/skills/extract/",
            json={"text": "SQL"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        )
        if r.status_code != 503:
            return
        time.sleep(2)
    raise AssertionError("the skill encoders did not finish loading")


def test_live_api_has_no_5xx_and_no_schema_mismatch(live_server_url, tmp_path):
    key = _seed()
    _warm(live_server_url, key)
    # Invalid data may also be refused by a precondition (412: If-Match names another version, checked
    # before the body as RFC 9110 orders it) or by the size limit (413): both are the API's own 4xx.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[checks.negative_data_rejection]\n"
        'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "412", "413", "415", "422", "428", '
        '"429"]\n'
    )
    cmd = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{live_server_url}/api/schema/?format=json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "120",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-dir",
        str(ROOT / "test-results" / "schemathesis"),
        "--output-truncate",
        "false",
    ]
    if MAX_TIME:
        cmd += ["--max-time", MAX_TIME]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=3600)
    out = done.stdout + done.stderr
    (ROOT / "test-results").mkdir(exist_ok=True)
    (ROOT / "test-results" / "schemathesis-live.log").write_text(out)
    cases = re.search(r"(\d+) generated", out)
    print(f"schemathesis live: seed {SEED}, {EXAMPLES} examples/operation, {cases.group(1) if cases else '?'} cases")
    print(out[-3000:])
    assert done.returncode == 0, out[-20000:]
    assert cases and int(cases.group(1)) > 0
