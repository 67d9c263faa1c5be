from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

JOB = {
    "id": "job-1",
    "title": "Data analyst",
    "skills": [
        {"name": "SQL", "required": True},
        {"name": "data analysis", "weight": 2.0},
        {"name": "Python programming"},
    ],
}
CANDS = [
    {
        "id": "c-strong",
        "credentials": [
            {
                "title": "Data badge",
                "issuer": "Uni",
                "issued": "2025-01-01",
                "verified": True,
                "skills": ["SQL", "analysing data", "python"],
            }
        ],
    },
    {"id": "c-degree-only", "degrees": [{"title": "BSc Data Science", "skills": ["SQL", "data analysis"]}]},
    {"id": "c-self", "skills": ["SQL", "data analysis"]},
    {"id": "c-unrelated", "credentials": [{"title": "Forklift", "skills": ["operate forklift"], "verified": True}]},
]


def _rank(tmp_path, job=JOB, cands=CANDS, raw_lines=None, *extra):
    jf, cf = tmp_path / "job.json", tmp_path / "c.jsonl"
    jf.write_text(json.dumps(job))
    cf.write_text(raw_lines if raw_lines is not None else "\n".join(json.dumps(c) for c in cands))
    out = io.StringIO()
    call_command("rank", "--job", str(jf), "--candidates", str(cf), *extra, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_rank_contract_order_and_explanations(tmp_path):
    rows = _rank(tmp_path)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert sorted(r["id"] for r in rows) == sorted(c["id"] for c in CANDS)
    assert rows[0]["id"] == "c-strong" and rows[0]["must_have_met"] is True
    by = {r["id"]: r for r in rows}
    assert by["c-degree-only"]["score"] == 0.0  # degrees add nothing
    assert 0 < by["c-self"]["score"] < by["c-strong"]["score"]
    m = {x["required"]: x for x in rows[0]["matches"]}
    assert m["SQL"]["matched"] == "SQL" and m["SQL"]["source"] == "Data badge" and m["SQL"]["credit"] == 1.0
    assert set(rows[0]["matches"][0]) == {"required", "matched", "source", "similarity", "credit"}
    assert by["c-unrelated"]["must_have_met"] is False and "SQL" in by["c-unrelated"]["missing"]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_rank_top_k(tmp_path):
    assert len(_rank(tmp_path, JOB, CANDS, None, "--top", "2")) == 2


@pytest.mark.django_db
def test_malformed_line_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"line 2: invalid JSON"):
        _rank(tmp_path, raw_lines='{"id": "a"}\n{"id": \n')


@pytest.mark.django_db
def test_job_without_skills_says_why(tmp_path):
    with pytest.raises(CommandError, match="non-empty list of required skills"):
        _rank(tmp_path, job={"id": "j", "title": "x", "skills": []})
