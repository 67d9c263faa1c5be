from __future__ import annotations

import pytest

from apps.core.interchange import InterchangeError, iter_candidates_jsonl, parse_job
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
