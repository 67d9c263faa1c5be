"""Catalog imports beyond the strict CSV: row-tolerant CSV, CTDL JSON-LD, Open Badges 3.0 Achievements,
qualifications (stacking)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.credentials.catalog import (
    CatalogError,
    parse_catalog,
    parse_catalog_rows,
    parse_ctdl,
    parse_ob3_achievements,
    parse_qualifications,
)
from apps.credentials.models import CatalogOffering, Qualification
from apps.credentials.services import catalog_import_ctdl, catalog_import_ob3

OB3_EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "credentials" / "ob3-spec-examples"

CTDL = {
    "@context": "https://credreg.net/ctdl/schema/context/json",
    "@graph": [
        {
            "@id": "https://example.org/org/1",
            "@type": "ceterms:CredentialOrganization",
            "ceterms:name": {"en-US": "Example Polytechnic"},
        },
        {
            "@id": "https://example.org/c/sql",
            "@type": "ceterms:MicroCredential",
            "ceterms:ctid": "ce-sql",
            "ceterms:name": {"en-US": "SQL for analysts"},
            "ceterms:offeredBy": ["https://example.org/org/1"],
            "ceterms:subjectWebpage": "https://example.org/sql",
            "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT40H"}],
            "ceterms:audienceLevelType": [
                {"ceterms:frameworkName": {"en": "European Qualifications Framework"}, "ceterms:codedNotation": "5"}
            ],
            "ceterms:deliveryType": [{"ceterms:targetNode": "deliveryType:OnlineOnly"}],
            "ceterms:estimatedCost": [{"ceterms:price": 250, "ceterms:currency": "EUR"}],
            "ceterms:teaches": [
                {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNodeName": {"en-US": "SQL"}}
            ],
        },
        {
            "@id": "https://example.org/c/viz",
            "@type": "ceterms:Badge",
            "ceterms:ctid": "ce-viz",
            "ceterms:name": "Dashboards",
            "ceterms:ownedBy": ["https://example.org/org/1"],
            "ceterms:creditValue": [
                {"schema:value": 2, "ceterms:creditUnitType": [{"ceterms:targetNode": "creditUnit:ECTS"}]}
            ],
            "ceterms:requires": [
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCompetency": [{"ceterms:targetNodeName": {"en": "data visualisation"}}],
                }
            ],
        },
        {
            "@id": "https://example.org/c/nohours",
            "@type": "ceterms:Certificate",
            "ceterms:ctid": "ce-nohours",
            "ceterms:name": "Calendar only",
            "ceterms:offeredBy": ["https://example.org/org/1"],
            "ceterms:estimatedDuration": [{"ceterms:exactDuration": "P6W"}],
            "ceterms:teaches": [{"ceterms:targetNodeName": "welding"}],
        },
        {
            "@id": "https://example.org/q/1",
            "@type": "ceterms:Certificate",
            "ceterms:ctid": "ce-cert",
            "ceterms:name": "Data analytics certificate",
            "ceterms:ownedBy": ["https://example.org/org/1"],
            "ceterms:hasPart": ["https://example.org/c/sql", "https://example.org/c/viz"],
        },
    ],
}


def test_row_tolerant_csv_keeps_the_good_rows():
    text = (
        "id,title,provider,level_framework,level_value,hours,skills\n"
        "a,A,P,EQF,5,40,SQL\n"
        "b,B,P,EQF,5,abc,SQL\n"
        "\n"
        "c,C,P,,,10,\n"
        "d,D,P,,,10,welding\n"
    )
    offerings, errors = parse_catalog_rows(text)
    assert [o.id for o in offerings] == ["a", "d"]
    assert [(e.row, e.column) for e in errors] == [(3, "hours"), (5, "skills")]
    with pytest.raises(CatalogError, match="missing column"):
        parse_catalog_rows("id,title\n")


def test_ctdl_offerings_and_qualification():
    offerings, quals, errors = parse_ctdl(CTDL)
    by = {o.id: o for o in offerings}
    sql = by["ce-sql"]
    assert (sql.title, sql.provider, sql.hours, sql.level_framework, sql.level_value) == (
        "SQL for analysts",
        "Example Polytechnic",
        40,
        "EQF",
        5,
    )
    assert sql.skills == ["SQL"] and sql.delivery_mode == "online" and sql.cost == 250
    assert by["ce-viz"].hours == 50 and by["ce-viz"].skills == ["data visualisation"]  # 2 ECTS × 25 h
    assert [e.where for e in errors] == ["@graph[3] (ce-nohours)"] and "learning hours" in errors[0].message
    [q] = quals
    assert q.id == "ce-cert" and q.credits_required == 90 and [c.offering for c in q.components] == ["ce-sql", "ce-viz"]


@pytest.mark.django_db
def test_ctdl_import_writes_offerings_and_qualifications():
    result = catalog_import_ctdl(data=CTDL)
    assert result.offerings == 2 and result.qualifications == 1 and len(result.errors) == 1
    assert CatalogOffering.objects.get(external_id="ce-sql").skills.get().text == "SQL"
    q = Qualification.objects.get(external_id="ce-cert")
    assert sorted(q.offerings.values_list("external_id", flat=True)) == ["ce-sql", "ce-viz"]


def test_ob3_achievement_from_the_spec_examples():
    data = json.loads((OB3_EXAMPLES / "skillAssertionCtdl.json").read_text())
    offerings, errors = parse_ob3_achievements(data)
    assert offerings == [] and "creditsAvailable" in errors[0].message  # OB 3.0 has no hours
    data["credentialSubject"]["achievement"]["creditsAvailable"] = 2
    [o], errors = parse_ob3_achievements(data)
    assert errors == []
    assert (o.title, o.provider, o.hours) == ("Linear equations and inequalities", "Example Industry Group", 50)
    assert o.skills == ["Solve and graph linear equations and inequalities"]


@pytest.mark.django_db
def test_ob3_import_with_level_and_tags():
    achievements = {
        "achievements": [
            {
                "id": "https://badges.example/a/1",
                "type": ["Achievement"],
                "name": "Intro to Python",
                "creator": {"id": "https://badges.example", "type": ["Profile"], "name": "Badge Uni"},
                "hours": 24,
                "tag": ["Python programming", "debugging"],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "EQF level 4",
                        "targetFramework": "EQF",
                        "targetCode": "4",
                        "targetUrl": "https://europa.eu/europass/en/eqf",
                    }
                ],
            },
            {"id": "https://badges.example/a/2", "type": ["Achievement"], "name": "No skills", "hours": 3},
        ]
    }
    result = catalog_import_ob3(data=achievements, provider="Fallback")
    assert result.offerings == 1 and len(result.errors) == 1 and "skill" in result.errors[0].message
    o = CatalogOffering.objects.get(external_id="https://badges.example/a/1")
    assert (o.provider, o.hours, o.level_framework, o.level_value) == ("Badge Uni", 24, "EQF", 4)
    assert sorted(o.skills.values_list("text", flat=True)) == ["Python programming", "debugging"]


def test_qualifications_json_errors_name_the_record():
    docs, errors = parse_qualifications(
        {
            "qualifications": [
                {
                    "id": "q1",
                    "title": "Q",
                    "credits_required": 60,
                    "unit": "ects",
                    "components": ["a", {"offering": "b"}],
                },
                {"id": "q2", "title": "Q2", "credits_required": "many", "components": ["a"]},
            ]
        }
    )
    assert [d.id for d in docs] == ["q1"] and docs[0].unit == "ects"
    assert errors[0].where == "qualifications[1]" and "credits_required" in errors[0].message


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=9), max_size=6))
def test_strict_and_tolerant_csv_read_the_same_rows(rows):
    """Any text under a valid header: the tolerant read never raises, its good rows are what the strict
    read returns when it finds no error, and the strict read fails exactly when the tolerant one reports."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "title", "provider", "level_framework", "level_value", "hours", "skills"])
    w.writerows(rows)
    text = buf.getvalue()
    good, errors = parse_catalog_rows(text)
    try:
        strict = parse_catalog(text)
    except CatalogError as e:
        assert errors and str(e) == str(errors[0])
    else:
        assert not errors and strict == good
