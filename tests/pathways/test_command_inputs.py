"""Property tests for the ``pathway`` command's readers: any bytes as the job, candidate or catalog file give
a CommandError naming the file, or a report; never a traceback (non-UTF-8, deep nesting, 1e999 included)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_command import CANDIDATE, CATALOG, CONTRACT_KEYS, JOB, _csv

pytestmark = pytest.mark.django_db

FILES = {"job": "job.json", "candidate": "cand.json", "catalog": "catalog.csv"}
GOOD = {"job": json.dumps(JOB).encode(), "candidate": json.dumps(CANDIDATE).encode(), "catalog": _csv(CATALOG).encode()}

nasty = st.sampled_from(
    [
        b"",
        b"\xff\xfe\x00",
        b"[" * 5000 + b"]" * 5000,
        b'{"id": "j", "skills": [{"name": "SQL", "weight": 1e999}]}',
        b'{"id": "c", "credentials": [{"title": "t", "hours": 1e999, "skills": ["SQL"]}]}',
        b'{"id": "c\\u0000"}',
        b'{"id": "c", "name": "\\ud800"}',
        b"id,title\n\xc3\x28,x\n",
    ]
)
anything = nasty | st.binary(max_size=200) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass"))


def _pathway(tmp, files: dict[str, bytes]) -> str:
    args = []
    for what, data in files.items():
        path = tmp / FILES[what]
        path.write_bytes(data)
        args += [f"--{what}", str(path)]
    out = io.StringIO()
    call_command("pathway", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(which=st.sampled_from(sorted(FILES)), data=anything)
def test_any_file_is_read_or_refused_with_a_command_error_naming_it(tmp_path_factory, which, data):
    files = {**GOOD, which: data}
    tmp = tmp_path_factory.mktemp("pathway")
    try:
        out = _pathway(tmp, files)
    except CommandError as e:
        assert FILES[which] in str(e)
        return
    report = json.loads(out)  # strict JSON: no NaN or Infinity
    assert set(report) == CONTRACT_KEYS
    assert json.dumps(report, allow_nan=False)
