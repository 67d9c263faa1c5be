"""Importing verified credentials: rows, skills (ESCO links and normalized phrases), level, hours, CLR inner."""

from __future__ import annotations

import pytest

from apps.credentials.importers import credential_import
from apps.credentials.models import Credential, CredentialSkill
from apps.credentials.verify import verify_bytes
from apps.skills.models import Skill
from tests.factories import make_candidate

from .test_verify_fixtures import ROOT, fixture_options

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present"),
]

ESCO_DIGITAL_CONTENT = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"


def _verify(name):
    return verify_bytes((ROOT / name).read_bytes(), options=fixture_options())


def test_edc_import_links_esco_and_keeps_level_and_credits(org):
    skill = Skill.objects.create(uri=ESCO_DIGITAL_CONTENT, preferred_label="develop digital content")
    cand = make_candidate(org)
    result = _verify("edc-elm-european-commission/Sample-MC-Annex1-unsigned.jsonld.json")
    [cred] = credential_import(candidate=cand, result=result)
    assert cred.format == "edc" and cred.verification_status == "unverified"
    assert (cred.level_framework, cred.level_value, cred.eqf_level) == ("EQF", 6, 6)
    assert "6" in cred.level_source
    assert cred.ects == 2 and cred.hours == 60
    assert cred.title == "Digital micro-credential creation"
    assert cred.kind == "microcredential"
    linked = CredentialSkill.objects.filter(credential=cred, skill=skill)
    assert linked.exists()
    assert any(c["name"] == "proof" for c in cred.verification_checks)


def test_ob3_alignments_become_skills_and_reimport_replaces(org):
    cand = make_candidate(org)
    name = (
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/"
        "legacyRegistry-noStatus-noExpiry-alignments.json"
    )
    result = _verify(name)
    assert result.status == "verified" and result.skills
    [cred] = credential_import(candidate=cand, result=result)
    assert cred.verification_status == "verified" and cred.kind == "badge"
    assert CredentialSkill.objects.filter(credential=cred).count() >= 1
    credential_import(candidate=cand, result=result)
    assert Credential.objects.filter(candidate=cand, external_id=cred.external_id).count() == 1


def test_clr_imports_each_inner_credential(org):
    cand = make_candidate(org)
    result = _verify("1edtech-dcpv-testfixtures/clr20/simple.json")
    creds = credential_import(candidate=cand, result=result)
    assert len(creds) == len(result.inner) >= 1
    assert all(c.verification_status == i.status for c, i in zip(creds, result.inner, strict=True))


def test_ob2_signed_badge_import(org):
    cand = make_candidate(org)
    [cred] = credential_import(candidate=cand, result=_verify("1edtech-dcpv-testfixtures/ob20/simple.jwt.json"))
    assert cred.verification_status == "verified" and cred.format == "ob2"
    assert cred.issuer is not None and cred.issued_on is not None
