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
    {"id": "c-degree-only", "degrees": [{"title": "BSc Data Science", "level": 6}]},
    {"id": "c-degree-outcomes", "degrees": [{"title": "BSc Data Science", "skills": ["SQL", "data analysis"]}]},
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
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert sorted(r["id"] for r in rows) == sorted(c["id"] for c in CANDS)
    assert rows[0]["id"] == "c-strong" and rows[0]["must_have_met"] is True
    by = {r["id"]: r for r in rows}
    assert by["c-degree-only"]["score"] == 0.0  # a degree's title and level add nothing
    # what a degree teaches is evidence, at the degree strength, above the same skills self-declared
    assert by["c-self"]["score"] < by["c-degree-outcomes"]["score"] < by["c-strong"]["score"]
    outcome = {x["required"]: x for x in by["c-degree-outcomes"]["matches"]}["SQL"]
    assert outcome["source"] == "degree learning outcome"  # degree-blind: never the degree's title
    assert 0 < by["c-self"]["score"] < by["c-strong"]["score"]
    m = {x["required"]: x for x in rows[0]["matches"]}
    assert m["SQL"]["matched"] == "SQL" and m["SQL"]["source"] == "Data badge" and m["SQL"]["credit"] == 1.0
    assert set(rows[0]["matches"][0]) == {"required", "matched", "source", "similarity", "credit", "factors"}
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


# ---- the evidence model, one factor at a time ----------------------------------------------------------
# Each pair differs in one thing only and names the job's skill exactly; `rank` must put the first above.
SKILL = "Python programming"
PAIR_JOB = {"id": "backend", "title": "Backend developer", "skills": [{"name": SKILL, "required": True}]}


def _cred(**kw):
    return {"title": "Python course", "issuer": "Provider", "issued": "2026-06-01", "skills": [SKILL], **kw}


PAIRS = {
    "volume, level, quality, assessment": (
        {
            "credentials": [
                _cred(
                    hours=400,
                    level={"framework": "NZQF", "value": 7},
                    quality_assured=True,
                    assessment="exam",
                    verified=True,
                )
            ]
        },
        {
            "credentials": [
                _cred(
                    hours=10,
                    level={"framework": "NZQF", "value": 2},
                    quality_assured=False,
                    assessment="attendance",
                    verified=True,
                )
            ]
        },
    ),
    "verified": ({"credentials": [_cred(verified=True)]}, {"credentials": [_cred(verified=False)]}),
    "recent": ({"credentials": [_cred(verified=True)]}, {"credentials": [_cred(verified=True, issued="2015-06-01")]}),
    "dated experience": (
        {
            "experience": [
                {"title": "Developer", "organization": "Acme", "start": "2023-01-01", "end": None, "skills": [SKILL]}
            ]
        },
        {"skills": [SKILL]},
    ),
    "degree outcome": (
        {"degrees": [{"title": "BSc Computing", "skills": [SKILL]}]},
        {"degrees": [{"title": "BSc Computing"}]},
    ),
    "interview": (
        {"assessments": [{"skill": SKILL, "method": "structured interview", "score": 0.9, "date": "2026-11-01"}]},
        {"skills": [SKILL]},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PAIRS))
def test_rank_pairs_differing_in_one_factor(tmp_path, name):
    better, worse = PAIRS[name]
    # listed worse first, so the order cannot come from the input order
    rows = _rank(tmp_path, PAIR_JOB, [{"id": "worse", **worse}, {"id": "better", **better}], None)
    assert [r["id"] for r in rows] == ["better", "worse"], rows
    assert rows[0]["score"] > rows[1]["score"]
    for r in rows:
        for m in r["matches"]:
            assert set(m["factors"]) == {
                "match",
                "strength",
                "volume",
                "level",
                "quality",
                "freshness",
                "assessment_score",
                "corroboration",
            }
            assert all(0.0 <= v <= 1.0 for v in m["factors"].values())


@pytest.mark.django_db
def test_a_degree_alone_scores_zero(tmp_path):
    (row,) = _rank(tmp_path, PAIR_JOB, [{"id": "d", "degrees": [{"title": "MSc Computer Science", "level": 7}]}], None)
    assert row["score"] == 0.0 and row["matches"] == []


@pytest.mark.django_db
def test_rank_must_have_met_ranks_first(tmp_path):
    job = {
        "id": "j",
        "title": "Data engineer",
        "skills": [{"name": "SQL", "required": True}, {"name": "Python programming"}, {"name": "data analysis"}],
    }
    cands = [
        # covers the two nice-to-haves well, misses the must-have: the higher score
        {"id": "no-must", "credentials": [_cred(verified=True, skills=["Python programming", "data analysis"])]},
        {"id": "must", "credentials": [_cred(verified=True, skills=["SQL"])]},
    ]
    rows = _rank(tmp_path, job, cands, None)
    by = {r["id"]: r for r in rows}
    assert by["no-must"]["score"] > by["must"]["score"]
    assert [r["id"] for r in rows] == ["must", "no-must"]
    assert by["must"]["must_have_met"] is True and by["no-must"]["must_have_met"] is False


@pytest.mark.django_db
def test_rank_explains_what_reduced_the_credit(tmp_path):
    cand = {"id": "c", "credentials": [_cred(verified=False, hours=20, assessment="attendance", issued="2018-01-01")]}
    (row,) = _rank(tmp_path, PAIR_JOB, [cand], None)
    (m,) = row["matches"]
    f = m["factors"]
    assert m["similarity"] == 1.0 and m["credit"] < 1.0
    assert f["strength"] == 0.8 and f["quality"] == 0.7 and f["volume"] < 1.0 and f["freshness"] < 1.0
    product = f["match"] * f["strength"] * f["volume"] * f["level"] * f["quality"] * f["freshness"]
    assert product * f["assessment_score"] + f["corroboration"] == pytest.approx(m["credit"], abs=2e-4)


@pytest.mark.django_db
def test_ten_weak_credentials_do_not_beat_one_strong(tmp_path):
    weak = [_cred(hours=8, assessment="attendance", verified=False, title=f"Taster {i}") for i in range(10)]
    cands = [
        {"id": "spam", "credentials": weak},
        {
            "id": "one",
            "credentials": [_cred(hours=300, assessment="proctored exam", quality_assured=True, verified=True)],
        },
    ]
    rows = _rank(tmp_path, PAIR_JOB, cands, None)
    assert [r["id"] for r in rows] == ["one", "spam"]
    by = {r["id"]: r for r in rows}
    # but the ten say a little more than one taster alone
    (single,) = _rank(tmp_path, PAIR_JOB, [{"id": "s", "credentials": weak[:1]}], None)
    assert single["score"] < by["spam"]["score"]


# ---- a CV as parse_resume prints it (the interchange "resume") ------------------------------------------
@pytest.mark.django_db
def test_a_resume_counts_as_self_declared_and_below_experience(tmp_path):
    role = {"title": "Developer", "organization": "Acme", "start": "2023-01-01", "end": None, "skills": [SKILL]}
    resume = {
        "file": "cv.pdf",
        "skills": [{"phrase": "Py", "uri": "http://x/py", "label": SKILL, "source": "skills"}],
        "experience": [{"title": "Developer", "start": "2023-01", "end": None, "skills": [{"phrase": SKILL}]}],
    }
    cands = [
        {"id": "cv", "resume": resume},
        {"id": "said", "skills": [SKILL]},
        {"id": "worked", "experience": [role]},
        {"id": "nothing", "resume": {"skills": ["knitting"]}},
    ]
    rows = {r["id"]: r for r in _rank(tmp_path, PAIR_JOB, cands, None)}
    # unconfirmed, a CV's skill is the person's own statement: exactly a self-declared skill
    assert rows["cv"]["score"] == rows["said"]["score"] > 0
    assert rows["worked"]["score"] > rows["cv"]["score"]
    (m,) = rows["cv"]["matches"]
    assert m["source"] == "self-declared (CV: Developer)" and m["factors"]["strength"] == 0.5
    assert rows["nothing"]["must_have_met"] is False
