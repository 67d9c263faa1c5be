"""The candidate panel writes each credit out as the product of its named factors, in words
(apps.dashboard.templatetags.evidence.credit_terms, templates/dashboard/_credit_factors.html)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from apps.dashboard.templatetags.evidence import credit_formula, credit_terms, evidence_date_label, evidence_source

from ..factories import credential, make_candidate
from .conftest import run_match_now
from .i18n import ensure_japanese_catalog


def _run(as_of: str = "", created: datetime | None = None):
    return SimpleNamespace(parameters={"as_of": as_of}, created_at=created or datetime(2026, 12, 1, 9, 0))


def _match(**factors) -> dict:
    base = {
        "match": 1.0,
        "strength": 1.0,
        "volume": 1.0,
        "level": 1.0,
        "quality": 1.0,
        "freshness": 1.0,
        "assessment_score": 1.0,
        "corroboration": 0.0,
    }
    return {"source_kind": "intact", "issued": "2022-06-01", "credit": 0.82, "factors": {**base, **factors}}


def test_only_the_factors_below_one_are_named_after_the_match():
    terms = credit_terms(_match(strength=0.9, freshness=0.9145), _run(as_of="2026-12-01"))
    assert [(t["op"], t["label"], t["value"]) for t in terms] == [
        ("", "skill match", "1.00"),
        ("×", "unconfirmed issuer", "0.90"),
        ("×", "4-year-old evidence", "0.91"),
    ]


def test_age_is_counted_on_the_runs_date_and_each_source_has_its_word():
    m = _match(strength=0.7, volume=0.62, freshness=0.95)
    m.update(source_kind="experience", issued="2021-01-10")
    labels = [t["label"] for t in credit_terms(m, _run(created=datetime(2025, 1, 9)))]
    assert labels == ["skill match", "work experience, not a credential", "short experience", "3-year-old evidence"]
    m.update(source_kind="self")
    assert credit_terms(m, _run(as_of="2026-01-10"))[1]["label"] == "self-declared"


def test_expired_evidence_quality_level_score_and_corroboration():
    terms = credit_terms(
        _match(match=0.74, level=0.8, quality=0.7, freshness=0.0, assessment_score=0.6, corroboration=0.05), _run()
    )
    assert [(t["name"], t["value"]) for t in terms] == [
        ("match", "0.74"),
        ("level", "0.80"),
        ("quality", "0.70"),
        ("freshness", "0.00"),
        ("assessment_score", "0.60"),
        ("corroboration", "0.05"),
    ]
    assert terms[3]["label"] == "expired or revoked" and terms[-1]["op"] == "+"


@pytest.mark.parametrize("match", [None, {}, {"credit": 0.5}, {"factors": {"strength": 0.8}}])
def test_an_explanation_without_factors_shows_no_product(match):
    assert credit_terms(match, _run()) == []


def test_japanese_words():
    ensure_japanese_catalog()
    with translation.override("ja"):
        labels = [t["label"] for t in credit_terms(_match(strength=0.9, freshness=0.91), _run(as_of="2026-12-01"))]
    assert labels == ["スキルの一致度", "発行者未確認", "4年前の証拠"]


@pytest.fixture
def old(org, job, pool, recruiter, django_capture_on_commit_callbacks):
    """A candidate whose SQL credit is reduced by four factors (an unverified, six-hour, attendance-only class
    from 2019), ranked with the dashboard's pool in a finished run of the job."""
    candidate = make_candidate(
        org,
        cid="c-old",
        credentials=[
            credential(
                "SQL evening class", ["SQL"], issued="2019-03-01", hours=6, assessment="attendance", verified=False
            )
        ],
    )
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    return candidate


def test_the_panel_says_what_reduced_each_credit(rclient, job, old):
    body = rclient.get(
        reverse("dashboard:candidate", kwargs={"job_id": job.id, "candidate_id": old.id}),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-testid="credit-factors"' in body
    years = (date.today() - date(2019, 3, 1)).days // 365.25
    for words in (
        "skill match 1.00",
        "unverified credential 0.80",
        "small learning volume",
        f"{int(years)}-year-old evidence",
    ):
        assert words in body, words
    assert "assessment method / quality assurance 0.70" in body


def test_the_csv_formula_names_each_factor_below_one():
    m = {
        **_match(strength=0.8, volume=0.54, corroboration=0.05),
        "required": "SQL",
        "credit": 0.48,
        "source_kind": "unverified",
    }
    assert credit_formula(m) == "SQL: 0.48 = match 1.00 × strength (unverified) 0.80 × volume 0.54 + corroboration 0.05"
    assert credit_formula({"required": "SQL", "credit": 1.0}) == ""


def test_the_csv_export_has_the_credit_factors_of_each_match(rclient, job, pool, old):
    resp = rclient.get(reverse("dashboard:shortlist_csv", kwargs={"job_id": job.id}))
    rows = {r["candidate_id"]: r for r in csv.DictReader(io.StringIO(resp.content.decode()))}
    cell = rows[str(old.id)]["credit_factors"]
    assert cell.startswith("SQL: 0.2") and "strength (unverified) 0.80" in cell
    assert "volume 0.54" in cell and "quality 0.70" in cell and "freshness 0." in cell
    # a verified, recent credential: nothing reduced it
    strong = rows[str(pool["strong"].id)]["credit_factors"]
    assert (
        "SQL: 1.00 = match 1.00;" in strong
        and "Python programming: 0.80 = match 1.00 × strength (unverified) 0.80" in strong
    )


@pytest.mark.parametrize(
    ("match", "en", "ja"),
    [
        (
            {"source": "structured interview: Kim", "source_kind": "assessment"},
            "Structured interview: Kim",
            "構造化面接: Kim",
        ),
        ({"source": "exam", "source_kind": "assessment"}, "Exam", "試験"),
        ({"source": "self-declared", "source_kind": "self"}, "self-declared", "自己申告"),
        ({"source": "degree learning outcome", "source_kind": "degree"}, "degree learning outcome", "学位の学習成果"),
        # the holder's own words are shown as written, even when they look like a method
        ({"source": "exam: Kim", "source_kind": "verified"}, "exam: Kim", "exam: Kim"),
        ({"source": "Team lead", "source_kind": "experience"}, "Team lead", "Team lead"),
        ({"source": "gut feeling: Kim", "source_kind": "assessment"}, "gut feeling: Kim", "gut feeling: Kim"),
        (None, "", ""),
    ],
)
def test_evidence_sources_are_named_in_the_pages_language(match, en, ja):
    ensure_japanese_catalog()
    with translation.override("en"):
        assert evidence_source(match) == en
    with translation.override("ja"):
        assert evidence_source(match) == ja


def test_the_date_of_an_assessment_or_a_role_is_not_called_issued():
    with translation.override("en"):
        assert evidence_date_label({"source_kind": "assessment"}) == "assessed on"
        assert evidence_date_label({"source_kind": "experience", "source": "Team lead"}) == "until"
        assert evidence_date_label({"source_kind": "verified", "source": "SQL badge"}) == "issued"
