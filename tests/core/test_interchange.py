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


# --- a CV as parse_resume reads it ------------------------------------------------------------------
DRAFT = {
    "file": "cv.pdf",
    "format": "pdf",
    "name": "Jane",
    "skills": [
        {"phrase": "Python", "uri": "http://x/py", "label": "Python (computer programming)", "source": "skills"},
        {"phrase": "Docker", "uri": None, "label": None, "source": "skills", "span": [3, 9], "confidence": 0.0},
        {"phrase": "wrote SQL", "uri": "http://x/sql", "label": "SQL", "source": "experience"},
    ],
    "experience": [
        {
            "title": "Data analyst",
            "organization": "Acme",
            "start": "2019-03",
            "end": None,
            "skills": [{"phrase": "wrote SQL", "uri": "http://x/sql", "label": "SQL", "span": [40, 49]}],
        }
    ],
    "credentials": [{"title": "T", "issuer": None, "issued": "2021", "url": None}],
    "errors": [],
}


def test_a_parse_resume_draft_is_a_candidates_resume():
    from apps.core.interchange import resume_evidence, resume_source

    c = parse_candidate({"id": "a", "skills": ["docker"], "resume": DRAFT})
    assert [(s.phrase, s.uri) for s in c.resume.skills] == [
        ("Python", "http://x/py"),
        ("Docker", None),
        ("wrote SQL", "http://x/sql"),
    ]
    assert [(r.title, [s.text for s in r.skills]) for r in c.resume.experience] == [("Data analyst", ["SQL"])]
    # a role's skill first, named by the role; a concept counts by its label; "Docker" is declared already
    assert resume_evidence(c) == [("SQL", "Data analyst"), ("Python (computer programming)", "")]
    assert (resume_source("Data analyst"), resume_source()) == (
        "self-declared (CV: Data analyst)",
        "self-declared (CV)",
    )
    assert parse_candidate({"id": "b"}).resume is None and resume_evidence(parse_candidate({"id": "b"})) == []
    # a bare string is a phrase; a blank one is refused by name
    assert [s.phrase for s in parse_candidate({"id": "c", "resume": {"skills": ["SQL"]}}).resume.skills] == ["SQL"]
    with pytest.raises(InterchangeError, match=r"resume\.skills\[1\]\.phrase"):
        parse_candidate({"id": "c", "resume": {"skills": ["SQL", " "]}})


@pytest.mark.parametrize(
    ("resume", "field"),
    [
        ([], "resume"),
        ({"skills": {"phrase": "x"}}, r"resume\.skills"),
        ({"skills": [{"uri": "u"}]}, r"resume\.skills\[0\]\.phrase"),
        ({"skills": [{"phrase": "x", "uri": 5 * "u" * 100}]}, r"resume\.skills\[0\]\.uri"),
        ({"experience": [{"title": "t", "skills": ["ok", True]}]}, r"resume\.experience\[0\]\.skills\[1\]"),
        ({"skills": ["x"] * 501}, r"resume\.skills"),
    ],
)
def test_resume_errors_name_the_field(resume, field):
    import json

    with pytest.raises(InterchangeError, match=rf"line 1: {field}"):
        list(iter_candidates_jsonl([json.dumps({"id": "a", "resume": resume})]))


_json = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda c: (
        st.lists(c, max_size=4)
        | st.dictionaries(
            st.sampled_from(["skills", "experience", "phrase", "uri", "label", "title", "x"]), c, max_size=4
        )
    ),
    max_leaves=20,
)


@given(resume=_json)
def test_any_resume_either_parses_or_names_the_field(resume):
    from apps.core.interchange import resume_evidence

    try:
        c = parse_candidate({"id": "a", "resume": resume})
    except InputError as e:  # InterchangeError, or a text check (a NUL, a lone surrogate) of apps.core.inputs
        assert e.field and e.field.startswith("resume")
        return
    evidence = resume_evidence(c)
    texts = [t for t, _ in evidence]
    # every phrase once, none blank, none longer than a phrase may be, from a role of the CV or none
    assert len({" ".join(t.casefold().split()) for t in texts}) == len(texts)
    assert all(t.strip() and len(t) <= 500 for t in texts)
    titles = {r.title for r in (c.resume.experience if c.resume else [])} | {""}
    assert all(role in titles for _, role in evidence)
