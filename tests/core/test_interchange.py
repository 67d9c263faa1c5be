from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.inputs import InputError
from apps.core.interchange import InterchangeError, iter_candidates_jsonl, parse_candidate, parse_job
from apps.credentials.levels import to_eqf


def test_job_defaults_and_validation():
    job = parse_job({"id": "j", "title": "T", "skills": [{"name": "SQL"}, "Python"]})
    assert [(s.name, s.weight, s.required, s.min_level) for s in job.skills] == [
        ("SQL", 1.0, False, None),
        ("Python", 1.0, False, None),
    ]
    with pytest.raises(InterchangeError, match="skills"):
        parse_job({"id": "j", "skills": []})
    with pytest.raises(InterchangeError, match=r"skills\[0\].weight"):
        parse_job({"id": "j", "skills": [{"name": "x", "weight": "heavy"}]})


def test_candidate_lines_name_the_bad_line():
    lines = ['{"id": "a", "credentials": [{"title": "B", "skills": ["x"], "unknown": 1}]}', "", "{not json"]
    with pytest.raises(InterchangeError) as e:
        list(iter_candidates_jsonl(lines))
    assert e.value.line == 3 and "line 3" in str(e.value)


def test_candidate_field_errors_and_duplicates():
    with pytest.raises(InterchangeError, match=r"line 1: credentials\[0\].issued"):
        list(iter_candidates_jsonl(['{"id": "a", "credentials": [{"title": "B", "issued": "yesterday"}]}']))
    with pytest.raises(InterchangeError, match="line 2: id: duplicate"):
        list(iter_candidates_jsonl(['{"id": "a"}', '{"id": "a"}']))


def test_levels_map_to_eqf():
    (c,) = iter_candidates_jsonl(
        [
            '{"id": "a", "credentials": [{"title": "B", "level": {"framework": "NZQF", '
            '"value": 7}}, {"title": "C", "level": {"framework": "EQF", "value": 5}}]}'
        ]
    )
    assert [to_eqf(cr.level.framework, cr.level.value) for cr in c.credentials] == [6, 5]


def _one(obj):
    import json

    (c,) = iter_candidates_jsonl([json.dumps(obj)])
    return c


def test_evidence_fields_are_read():
    c = _one(
        {
            "id": "a",
            "credentials": [
                {"title": "B", "hours": 60, "ects": 2.5, "quality_assured": True, "assessment": "proctored exam"}
            ],
            "degrees": [{"title": "BSc", "skills": ["statistics"]}],
            "experience": [
                {
                    "title": "Analyst",
                    "organization": "Acme",
                    "start": "2020-01-01",
                    "end": "2022-06-30",
                    "skills": ["SQL"],
                }
            ],
            "assessments": [{"skill": "SQL", "method": "work sample", "score": 0.75, "date": "2026-10-01"}],
        }
    )
    (cr,) = c.credentials
    assert (cr.hours, cr.ects, cr.quality_assured, cr.assessment) == (60, 2.5, True, "proctored exam")
    assert c.degrees[0].skills == ["statistics"]
    (e,) = c.experience
    assert (e.title, e.organization, e.start.isoformat(), e.end.isoformat(), e.skills) == (
        "Analyst",
        "Acme",
        "2020-01-01",
        "2022-06-30",
        ["SQL"],
    )
    (a,) = c.assessments
    assert (a.skill, a.method, a.score, a.date.isoformat()) == ("SQL", "work sample", 0.75, "2026-10-01")


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"credentials": [{"title": "B", "hours": -1}]}, r"credentials\[0\]\.hours"),
        ({"credentials": [{"title": "B", "hours": 10**9}]}, r"credentials\[0\]\.hours"),
        ({"credentials": [{"title": "B", "ects": "five"}]}, r"credentials\[0\]\.ects"),
        ({"credentials": [{"title": "B", "quality_assured": "yes"}]}, r"credentials\[0\]\.quality_assured"),
        ({"credentials": [{"title": "B", "assessment": "vibes"}]}, r"credentials\[0\]\.assessment"),
        ({"experience": {"title": "x"}}, "experience"),
        ({"experience": [{"organization": "Acme"}]}, r"experience\[0\]\.title"),
        ({"experience": [{"title": "x", "start": "2022-01-01", "end": "2021-01-01"}]}, r"experience\[0\]\.end"),
        ({"assessments": [{"skill": "SQL", "method": "exam", "score": 1.5}]}, r"assessments\[0\]\.score"),
        ({"assessments": [{"skill": "SQL", "method": "exam"}]}, r"assessments\[0\]\.score"),
        ({"assessments": [{"skill": "SQL", "method": "hunch", "score": 0.5}]}, r"assessments\[0\]\.method"),
        ({"assessments": [{"method": "exam", "score": 0.5}]}, r"assessments\[0\]\.skill"),
    ],
)
def test_evidence_field_errors_name_the_field(obj, field):
    import json

    with pytest.raises(InterchangeError, match=rf"line 1: {field}"):
        list(iter_candidates_jsonl([json.dumps({"id": "a", **obj})]))


@given(
    score=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=5), st.none()),
    hours=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(), st.none()),
    method=st.one_of(st.sampled_from(["exam", "work sample", "structured interview"]), st.text(max_size=10)),
)
def test_evidence_fields_either_parse_in_range_or_name_the_field(score, hours, method):
    obj = {
        "id": "a",
        "credentials": [{"title": "B", "hours": hours}],
        "assessments": [{"skill": "SQL", "method": method, "score": score}],
    }
    try:
        c = parse_candidate(obj)
    except InputError as e:  # InterchangeError, or a text check (a NUL) of apps.core.inputs
        assert e.field and (e.field.startswith("credentials[0]") or e.field.startswith("assessments[0]"))
        return
    assert 0.0 <= c.assessments[0].score <= 1.0 and math.isfinite(c.assessments[0].score)
    assert c.credentials[0].hours is None or 0 <= c.credentials[0].hours <= 100_000
    assert c.assessments[0].method in ("exam", "work sample", "structured interview")


def test_docs_list_the_declared_limits():
    """docs/api.md's limits tables are the declarations, rendered (regenerate with limits_markdown())."""
    from pathlib import Path

    from apps.core.interchange import limits_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    block = doc.split("<!-- limits:start -->\n", 1)[1].split("<!-- limits:end -->", 1)[0]
    assert block == limits_markdown()
