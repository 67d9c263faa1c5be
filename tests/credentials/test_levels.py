"""Level referencing: built-in tables, Japan's framework (JQF) by qualification type (provisional, ISCED 2011),
operator tables (TSUMIKI_LEVEL_REFERENCING), and JQF levels flowing through credential and catalog imports."""

from __future__ import annotations

import copy
import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from apps.credentials.catalog import parse_row
from apps.credentials.catalog.common import level_from as _level_from
from apps.credentials.importers import credential_import
from apps.credentials.levels import (
    FRAMEWORKS,
    LevelReferencingError,
    framework_of,
    jqf_qualification_type,
    parse_referencing,
    read_level,
    tables,
    to_eqf,
)
from apps.credentials.models import CredentialSkill
from apps.credentials.verify import verify_object
from tests.factories import make_candidate

from .test_verify_fixtures import ROOT, fixture_options

JQF_TABLE = {"JQF": {str(i): i for i in range(1, 9)}}


# ---------------------------------------------------------------- built-in tables


@pytest.mark.parametrize(
    ("fw", "value", "eqf"),
    [
        ("EQF", 6, 6),
        ("NZQF", 7, 6),
        ("AQF", 9, 7),
        ("AQF", 10, 8),
        ("AQRF", 5, 5),
        ("nzqf", 6, 5),
        ("EQF", 9, None),
        ("RQF", 6, None),
        ("EQF", None, None),
        ("NZQF", "7", 6),
    ],
)
def test_builtin_tables(fw, value, eqf):
    assert to_eqf(fw, value) == eqf


def test_builtin_tables_unchanged_and_catalog_frameworks_still_iterate():
    assert set(FRAMEWORKS) == {"EQF", "NZQF", "AQF", "AQRF"}
    assert tables() == FRAMEWORKS  # no operator table in the test settings
    assert _level_from("New Zealand Qualifications Framework", "Level 7") == ("NZQF", 7)
    assert _level_from("Japan Qualifications Framework", "Level 5") == ("JQF", 5)


# ---------------------------------------------------------------- Japan: qualification types (provisional)


@pytest.mark.parametrize(
    ("statement", "eqf"),
    [
        ("高等学校卒業", 4),
        ("Upper secondary school graduation", 4),
        ("High school diploma", 4),
        ("専門士", 5),
        ("専門士（商業実務専門課程）", 5),
        ("Diploma (specialized training college)", 5),
        ("短期大学士", 5),
        ("短期大学士（家政学）", 5),
        ("Associate degree", 5),
        ("準学士", 5),
        ("準学士（工学）", 5),
        ("学士", 6),
        ("学士（工学）", 6),
        ("学士(経済学)", 6),
        ("Bachelor", 6),
        ("Bachelor of Engineering", 6),
        ("Bachelor's degree", 6),
        ("学士（専門職）", 6),
        ("修士", 7),
        ("修士（情報学）", 7),
        ("Master of Science", 7),
        ("専門職学位", 7),
        ("修士（専門職）", 7),
        ("法務博士（専門職）", 7),
        ("Juris Doctor", 7),
        ("Professional degree (MBA)", 7),
        ("博士", 8),
        ("博士（理学）", 8),
        ("Doctor of Philosophy", 8),
        ("PhD", 8),
        ("Ph.D.", 8),
    ],
)
def test_jqf_qualification_types_map_through_isced(statement, eqf):
    assert jqf_qualification_type(statement).eqf == eqf
    assert to_eqf("JQF", statement) == eqf


@pytest.mark.parametrize(
    "statement", ["高度専門士", "Advanced diploma", "高等学校卒業程度認定", "Python programming", "", None]
)
def test_jqf_types_outside_the_source_are_not_guessed(statement):
    assert jqf_qualification_type(statement) is None
    assert to_eqf("JQF", statement) is None


def test_qualification_types_only_count_in_jqf():
    assert to_eqf("NZQF", "Bachelor") is None
    assert read_level("NZQF", "Bachelor") is None


@pytest.mark.parametrize(
    ("text", "fw"),
    [
        ("JQF", "JQF"),
        ("jqf", "JQF"),
        ("Japan Qualifications Framework", "JQF"),
        ("Japanese Qualifications Framework", "JQF"),
        ("Japan's qualifications framework", "JQF"),
        ("日本の資格枠組み", "JQF"),
        ("Japan", "JQF"),
        ("日本", "JQF"),
        ("European Qualifications Framework", "EQF"),
        ("EQF", "EQF"),
        ("NZQF", "NZQF"),
        ("AQRF", "AQRF"),
        ("Japan Skills Standards", None),
        ("1EdTech University Program and Course Catalog", None),
        ("ESCO", None),
        (None, None),
    ],
)
def test_framework_names(text, fw):
    assert framework_of(text) == fw


def test_read_level_keeps_the_statement_and_says_the_basis():
    reading = read_level("Japan Qualifications Framework", "学士（工学）")
    assert (reading.framework, reading.value, reading.eqf) == ("JQF", None, 6)
    assert "ISCED 6" in reading.basis and "provisional" in reading.basis


def test_numeric_jqf_level_is_kept_without_an_eqf_until_a_table_is_loaded():
    assert to_eqf("JQF", 6) is None
    reading = read_level("JQF", "Level 6")
    assert (reading.framework, reading.value, reading.eqf) == ("JQF", 6, None)
    # with a type beside the number, the provisional type mapping fills the gap
    assert read_level("JQF", "Level 6 (学士)").eqf == 6


def test_numbers_that_are_not_levels_are_ignored():
    assert read_level("JQF", "学士（工学） 2019").value is None


# ---------------------------------------------------------------- operator tables


@override_settings(TSUMIKI_LEVEL_REFERENCING=json.dumps(JQF_TABLE))
def test_operator_table_from_a_json_string():
    assert to_eqf("JQF", 6) == 6
    reading = read_level("JQF", "Level 6 (学士)")
    assert (reading.value, reading.eqf, reading.basis) == (6, 6, "operator table")
    assert to_eqf("NZQF", 7) == 6  # built-ins untouched


def test_operator_table_from_a_file_replaces_a_builtin_and_adds_a_framework(tmp_path):
    path = tmp_path / "referencing.json"
    path.write_text(json.dumps({"_source": "a test", "NZQF": {"7": 7}, "rqf": {"6": 6, "7": 7}}), encoding="utf-8")
    with override_settings(TSUMIKI_LEVEL_REFERENCING=str(path)):
        assert to_eqf("NZQF", 7) == 7 and to_eqf("NZQF", 8) is None  # a table replaces, not merges
        assert to_eqf("RQF", 6) == 6
        assert framework_of("UK RQF") == "RQF"
    assert to_eqf("NZQF", 7) == 6  # back to the built-in once the setting is gone


@override_settings(TSUMIKI_LEVEL_REFERENCING={"JQF": {1: 2, 2: 3}})
def test_operator_table_as_a_mapping_validates_catalog_rows():
    raw = {"id": "x", "title": "T", "provider": "P", "level_framework": "JQF", "hours": "10", "skills": "a"}
    assert parse_row({**raw, "level_value": "2"}, row=2).eqf == 3
    with pytest.raises(ValueError, match="JQF has levels 1-2, got 3"):
        parse_row({**raw, "level_value": "3"}, row=2)


def test_catalog_jqf_row_without_a_table_is_kept_without_eqf():
    raw = {
        "id": "x",
        "title": "T",
        "provider": "P",
        "level_framework": "jqf",
        "level_value": "5",
        "hours": "10",
        "skills": "a",
    }
    offering = parse_row(raw, row=2)
    assert (offering.level_framework, offering.level_value, offering.eqf) == ("JQF", 5, None)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('["JQF"]', "must be a JSON object"),
        ('{"JQF": {"6": 9}}', "EQF level must be a whole number 1-8, got 9"),
        ('{"JQF": {"6": "6"}}', "EQF level must be a whole number 1-8, got '6'"),
        ('{"JQF": {"6": true}}', "EQF level must be a whole number 1-8"),
        ('{"JQF": {"six": 6}}', "level 'six' is not a whole number"),
        ('{"JQF": {"0": 1}}', "level '0' is not a whole number of at least 1"),
        ('{"JQF": {}}', "must be a non-empty object"),
        ('{"JQF": [1, 2]}', "must be a non-empty object"),
        ('{"EQF": {"1": 1}}', "EQF is what levels are referenced to"),
        ('{"JQF": {"1": 1}, "jqf": {"1": 1}}', "given twice"),
        ('{"J Q F": {"1": 1}}', "framework name"),
        ('{"JQF": {"5": 6, "6": 5}}', "never goes down"),
        ("/nonexistent/referencing.json", "cannot read the table file '/nonexistent/referencing.json'"),
        (42, "must be a JSON object, a JSON string or a file path"),
    ],
)
def test_bad_tables_are_refused_with_a_clear_message(spec, message):
    with pytest.raises(LevelReferencingError, match="TSUMIKI_LEVEL_REFERENCING") as err:
        parse_referencing(spec)
    assert message in str(err.value)


def test_bad_table_fails_at_first_use_and_at_start_up():
    with override_settings(TSUMIKI_LEVEL_REFERENCING='{"JQF": {"6": 9}}'):
        with pytest.raises(LevelReferencingError, match=r"\['JQF'\]\['6'\]: EQF level must be"):
            to_eqf("JQF", 6)
        with pytest.raises(ImproperlyConfigured, match="TSUMIKI_LEVEL_REFERENCING"):
            apps.get_app_config("credentials").ready()
    apps.get_app_config("credentials").ready()  # a good (empty) setting starts fine


# ---------------------------------------------------------------- end to end: credential imports

BADGE = ROOT / "ob3-spec-examples/basicOpenBadgeCredential.json"


def _badge_with_alignment(**alignment):
    doc = json.loads(BADGE.read_text(encoding="utf-8"))
    doc["id"] = f"http://example.com/credentials/jqf/{alignment['targetName']}"
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetUrl": "https://example.ac.jp/degrees/beng", **alignment},
        {"type": ["Alignment"], "targetName": "Teamwork", "targetUrl": "https://example.com/skills/teamwork"},
    ]
    return doc


@pytest.mark.django_db
@pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")
def test_ob3_with_jqf_bachelor_alignment_imports_with_eqf_6(org):
    doc = _badge_with_alignment(targetName="学士（工学）", targetFramework="JQF")
    result = verify_object(doc, options=fixture_options())
    assert result.status == "unverified"  # an unsigned spec example, as in the fixture table
    [cred] = credential_import(candidate=make_candidate(org), result=result)
    assert (cred.level_framework, cred.level_value, cred.eqf_level) == ("JQF", None, 6)
    assert cred.level_source == "JQF: 学士（工学）"
    texts = set(CredentialSkill.objects.filter(credential=cred).values_list("text", flat=True))
    assert "Teamwork" in texts and "学士（工学）" not in texts  # a level statement is not a skill


@pytest.mark.django_db
@pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")
def test_ob3_with_japan_framework_name_and_english_type(org):
    doc = _badge_with_alignment(targetName="Master of Engineering", targetFramework="Japan Qualifications Framework")
    [cred] = credential_import(candidate=make_candidate(org), result=verify_object(doc, options=fixture_options()))
    assert (cred.level_framework, cred.eqf_level) == ("JQF", 7)
    assert cred.level_source == "Japan Qualifications Framework: Master of Engineering"


@pytest.mark.django_db
@pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")
def test_ob3_numeric_jqf_level_takes_eqf_from_the_operator_table(org):
    doc = _badge_with_alignment(targetName="Level 5", targetFramework="JQF")
    cand = make_candidate(org)
    [cred] = credential_import(candidate=cand, result=verify_object(doc, options=fixture_options()))
    assert (cred.level_framework, cred.level_value, cred.eqf_level) == ("JQF", 5, None)
    with override_settings(TSUMIKI_LEVEL_REFERENCING=json.dumps({"JQF": {"5": 5, "6": 6}})):
        [cred] = credential_import(candidate=cand, result=verify_object(doc, options=fixture_options()))
    assert (cred.level_framework, cred.level_value, cred.eqf_level, cred.level_source) == ("JQF", 5, 5, "JQF: Level 5")


@pytest.mark.django_db
@pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")
def test_edc_with_a_jqf_national_level_and_no_eqf_level(org):
    doc = json.loads((ROOT / "edc-elm-european-commission/Sample-MC-Annex1-unsigned.jsonld.json").read_text())
    doc = copy.deepcopy(doc)
    doc["id"] = "urn:credential:jqf-edc-test"
    found = 0
    for claim in (
        doc["credentialSubject"]["hasClaim"]
        if isinstance(doc["credentialSubject"]["hasClaim"], list)
        else [doc["credentialSubject"]["hasClaim"]]
    ):
        spec = claim.get("specifiedBy")
        if isinstance(spec, dict) and "eqfLevel" in spec:
            del spec["eqfLevel"]
            spec["nqfLevel"] = [
                {
                    "id": "urn:example:jqf:bachelor",
                    "type": "Concept",
                    "inScheme": {
                        "id": "urn:example:jqf",
                        "type": "ConceptScheme",
                        "prefLabel": {"en": "Japan Qualifications Framework"},
                    },
                    "prefLabel": {"ja": "学士（情報学）", "en": "Bachelor of Informatics"},
                }
            ]
            found += 1
    assert found
    result = verify_object(doc, options=fixture_options())
    assert result.level["framework"] == "JQF"
    [cred] = credential_import(candidate=make_candidate(org), result=result)
    assert (cred.level_framework, cred.level_value, cred.eqf_level) == ("JQF", None, 6)
    assert cred.level_source in ("学士（情報学）", "Bachelor of Informatics")
