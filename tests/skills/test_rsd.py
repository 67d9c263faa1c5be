"""Rich Skill Descriptor import (apps.skills.rsd, apps.skills.org_skills): a real export shape reads
into own skills, an ESCO alignment maps a skill; malformed input of any kind is an RsdError with a
message (never another exception), and an import that fails stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.skills.models import OrganizationSkill
from apps.skills.org_skills import org_skills_import_rsd
from apps.skills.rsd import RsdError, RsdSkill, read_rsd

from .conftest import URI

COLLECTION = Path(__file__).parent / "data" / "rsd-collection.json"


def _rsd(name: str = "Kaizen facilitation", **extra) -> dict:
    return {
        "type": "RichSkillDescriptor",
        "id": "https://osmt.example/api/skills/" + name.replace(" ", "-"),
        "skillName": name,
        **extra,
    }


def test_a_collection_export_reads_with_its_alignments():
    skills = read_rsd(COLLECTION.read_bytes())
    assert [s.name for s in skills] == ["Kaizen facilitation", "Warehouse SQL reporting"]
    kaizen, sql = skills
    assert kaizen.keywords == ("kaizen", "continuous improvement") and kaizen.categories == ("Operations",)
    assert kaizen.esco_uris == () and kaizen.uri.endswith("6d0f5a3e-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    assert sql.categories == ("Data",)  # the older single "category"
    assert sql.esco_uris == (URI + "sql",)  # the Wikipedia alignment is not a mapping


def test_one_skill_or_a_list_reads_too():
    assert [s.name for s in read_rsd(json.dumps(_rsd()))] == ["Kaizen facilitation"]
    assert len(read_rsd(json.dumps([_rsd("a b"), _rsd("c d")]).encode())) == 2


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "empty", "empty"),
        (b"\xff\xfe{", "not_text_file", "not UTF-8"),
        (b"{", "not_json", "not valid JSON"),
        (b"42", "not_rsd", "single value"),
        (b"[]", "no_skills", "no skills"),
        (b'{"type": "RichSkillCollection", "skills": {}}', "no_skills", "no list of skills"),
        (b"[1]", "not_object", "skill 1"),
        (b'[{"id": "https://x.example/s/1"}]', "reference_only", "only a reference"),
        (b'{"type": "RichSkillCollection", "skills": [{"id": "https://x.example/s/1"}]}', "reference_only", "skill 1"),
        (b'{"skillName": ""}', "no_name", "no skillName"),
        (b'{"skillName": 7}', "not_text", "must be text"),
        (b'{"type": "Person", "skillName": "x"}', "wrong_type", "not a RichSkillDescriptor"),
        (b'{"skillName": "x", "id": "not a url"}', "bad_id", "URL"),
        (b'{"skillName": "x", "keywords": {"a": 1}}', "not_list", "keywords"),
        (b'{"skillName": "x", "alignments": ["esco"]}', "bad_alignment", "alignment"),
        (b'[{"skillName": "x"}, {"skillName": "X"}]', "repeated", "skill 2 repeats skill 1"),
        (b"[" * 200 + b"]" * 200, "too_deep", "nested"),
        (json.dumps({"skillName": "x" * 301}).encode(), "too_long", "longer than 300"),
    ],
)
def test_malformed_files_are_told_in_words(data, code, words):
    with pytest.raises(RsdError) as e:
        read_rsd(data)
    assert e.value.code == code and words in e.value.message


# Any JSON value (within a modest depth), or any bytes at all.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
_keys = st.sampled_from(
    ["type", "id", "skillName", "skillStatement", "keywords", "categories", "category", "alignments", "skills"]
)
# RSD-looking objects whose values are anything: the cases a real reader meets
_rsdish = st.dictionaries(_keys, _json, max_size=7)
_files = st.one_of(
    st.binary(max_size=200),
    _json.map(lambda v: json.dumps(v).encode()),
    _rsdish.map(lambda v: json.dumps(v).encode()),
    st.lists(_rsdish, max_size=5).map(lambda v: json.dumps(v).encode()),
    st.lists(_rsdish, max_size=5).map(lambda v: json.dumps({"type": "RichSkillCollection", "skills": v}).encode()),
)


@settings(max_examples=300, deadline=None)
@given(data=_files)
def test_any_input_reads_or_is_refused_with_a_message(data):
    try:
        skills = read_rsd(data)
    except RsdError as e:
        assert e.message and e.code
        return
    assert skills and all(isinstance(s, RsdSkill) and s.name for s in skills)


@pytest.mark.django_db
def test_an_import_stores_own_skills_and_maps_esco(org, taxonomy):
    report = org_skills_import_rsd(organization=org, data=COLLECTION.read_bytes())
    assert (report.created, report.updated, report.mapped) == (2, 0, 1)
    sql = OrganizationSkill.objects.get(organization=org, name="Warehouse SQL reporting")
    assert sql.concept.uri == URI + "sql" and sql.source == "rsd" and sql.keywords == ["stock reports"]
    # importing again updates, never duplicates
    again = org_skills_import_rsd(organization=org, data=COLLECTION.read_bytes())
    assert (again.created, again.updated) == (0, 2)
    assert OrganizationSkill.objects.filter(organization=org).count() == 2


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=_rsdish, at=st.integers(0, 3))
def test_a_file_with_one_bad_skill_stores_nothing(org, bad, at):
    """Good skills around one that may be bad: either the whole file is stored, or none of it."""
    good = [_rsd(f"skill number {i}") for i in range(3)]
    items = good[:at] + [bad] + good[at:]
    before = OrganizationSkill.objects.count()
    try:
        report = org_skills_import_rsd(organization=org, data=json.dumps(items))
    except RsdError:
        assert OrganizationSkill.objects.count() == before
        return
    assert len(report.skills) == len(items)
    OrganizationSkill.objects.all().delete()
