"""``rank`` reads its files through apps.core.inputs: any bad job or candidates file stops it with one
line naming the file, the line and the field, exit status 1, no traceback and no partial output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.matching.management.commands.rank import read_candidates, read_job

JOB = {"id": "j", "title": "Data", "skills": [{"name": "SQL", "required": True}, {"name": "Python programming"}]}
ROOT = Path(__file__).resolve().parents[2]


def _files(tmp_path, job: bytes | str, cands: bytes | str) -> tuple[Path, Path]:
    jf, cf = tmp_path / "job.json", tmp_path / "c.jsonl"
    for path, data in ((jf, job), (cf, cands)):
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return jf, cf


def _rank(jf, cf, *extra):
    out = io.StringIO()
    call_command("rank", "--job", str(jf), "--candidates", str(cf), *extra, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("job", "cands", "message"),
    [
        (
            json.dumps(JOB),
            '{"id": "a", "credentials": [{"title": "t", "hours": 1e999}]}',
            r"line 1: credentials\[0\].hours",
        ),
        (json.dumps(JOB), '{"id": "a"}\n{"id": "b", "skills": ' + "[" * 2000 + "]" * 2000 + "}", "line 2: .*nested"),
        (json.dumps(JOB), b'{"id": "a"}\n{"id": "\xff\xfe"}\n', "line 2: is not UTF-8"),
        (json.dumps(JOB), '{"id": "a", "name": "\\ud800"}', "line 1: name: must be valid Unicode"),
        (json.dumps(JOB), '{"id": "a\\u0000"}', "line 1: id: must not contain NUL"),
        ('{"id": "j", "skills": [{"name": "SQL", "weight": 1e999}]}', '{"id": "a"}', r"skills\[0\].weight"),
        ('{"id": "j", "skills": [{"name": "SQL", "weight": 1e308}]}', '{"id": "a"}', r"skills\[0\].weight"),
        (b'{"id": "j", "title": "\xc3\x28", "skills": ["SQL"]}', '{"id": "a"}', "not UTF-8"),
        ("[" * 5000, '{"id": "a"}', "job.json: .*nested|job.json: invalid JSON"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, job, cands, message):
    jf, cf = _files(tmp_path, job, cands)
    with pytest.raises(CommandError, match=message):
        _rank(jf, cf)


@pytest.mark.parametrize("top", ["-1", "x", "1.5"])
def test_top_must_be_a_non_negative_whole_number(tmp_path, top):
    jf, cf = _files(tmp_path, json.dumps(JOB), '{"id": "a"}')
    with pytest.raises(CommandError, match="--top"):
        _rank(jf, cf, "--top", top)


@pytest.mark.django_db
def test_top_zero_and_larger_than_the_pool(tmp_path):
    jf, cf = _files(tmp_path, json.dumps(JOB), '{"id": "a", "skills": ["SQL"]}\n{"id": "b"}\n')
    assert _rank(jf, cf, "--top", "0") == ""
    rows = [json.loads(line) for line in _rank(jf, cf, "--top", "5").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]


def test_the_real_command_exits_1_without_a_traceback(tmp_path):
    jf, cf = _files(tmp_path, json.dumps(JOB), b'{"id": "a", "credentials": [{"title": "t", "hours": 1e999}]}\n\xff\n')
    done = subprocess.run(
        [sys.executable, "manage.py", "rank", "--job", str(jf), "--candidates", str(cf)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert "line 1: credentials[0].hours" in done.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_any_job_file_is_read_or_refused_with_a_command_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("job") / "job.json"
    path.write_bytes(data)
    try:
        job = read_job(path)
    except CommandError:
        return
    assert job.skills and all(0 < s.weight <= 100 for s in job.skills)


json_lines = st.lists(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(["id", "name", "skills", "credentials", "hours", "title", "level"]), c, max_size=4
            )
        ),
        max_leaves=12,
    ).map(lambda v: json.dumps(v)),
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=json_lines, junk=st.binary(max_size=20))
def test_any_candidates_file_is_read_or_refused_with_a_command_error(tmp_path_factory, lines, junk):
    path = tmp_path_factory.mktemp("c") / "c.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + junk)
    try:
        docs = read_candidates(path)
    except CommandError as e:
        assert "line " in str(e) or "cannot read" in str(e)
        return
    assert len({d.id for d in docs}) == len(docs)
