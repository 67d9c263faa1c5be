"""One writer of issuers (apps.credentials.services.issuer_get_or_create) for every way credentials arrive."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.credentials.models import Issuer
from apps.credentials.services import issuer_get_or_create

pytestmark = pytest.mark.django_db


def test_an_issuer_is_made_once_per_name_and_identifier():
    a = issuer_get_or_create(name="Open Data Academy", identifier="https://oda.example/issuer")
    b = issuer_get_or_create(name="  Open Data Academy ", identifier="https://oda.example/issuer")
    assert a is not None and a.pk == b.pk
    assert a.url == "https://oda.example/issuer"  # a web identifier is its URL too
    did = issuer_get_or_create(name="Open Data Academy", identifier="did:web:oda.example")
    assert did.pk != a.pk and did.url == ""
    assert Issuer.objects.count() == 2


def test_no_name_no_issuer():
    assert issuer_get_or_create(name="") is None
    assert issuer_get_or_create(name="   ", identifier="https://x.example") is None
    assert not Issuer.objects.exists()


@settings(max_examples=40, deadline=None)
@given(name=st.text(min_size=1, max_size=400), ident=st.text(max_size=600))
def test_any_text_fits_the_columns(name, ident):
    # NUL cannot be stored in PostgreSQL text; the interchange and file readers refuse it before here
    name, ident = name.replace("\x00", ""), ident.replace("\x00", "")
    issuer = issuer_get_or_create(name=name, identifier=ident)
    if not name.strip():
        assert issuer is None
        return
    issuer.refresh_from_db()
    assert issuer.name == name.strip()[:300] and issuer.identifier == ident.strip()[:500]
    assert issuer_get_or_create(name=name, identifier=ident).pk == issuer.pk
