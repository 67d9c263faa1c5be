# ruff: noqa: E501  (a data table: one fixture per line reads better than wrapped lines)
"""Every credential fixture in ../shared/data/credentials gets its expected status ('How it will be checked').

EXPECTED is written by hand from each file's name and SOURCES.md (``*-err-*``, tampered, revoked, expired,
invalid-as-published → not verified; documents that are not credentials → failed; what cannot be checked
offline → unverified; signed with a key that only the file itself carries — a multikey in the fragment of the
issuer URL, a JWK in the JOSE header — and named nowhere else → intact, issuer not confirmed), never from the
verifier's output. ``bench/credentials_table.py`` renders the same
table into docs/credentials.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.credentials.verify import VerifyOptions, verify_bytes

ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "credentials"
# A fixed 'now' keeps the table stable as time passes (validity windows of the fixtures end in 2020–2050).
NOW = datetime(2026, 6, 1, tzinfo=UTC)

# URL (or prefix) → file below ROOT: what an issuer would serve, read from disk instead of the network.
DOCUMENTS = {
    "https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json": "dcc-vc-test-fixtures/dids/legacy/did.json",
    "https://digitalcredentials.github.io/vc-test-fixtures/dids/oidf/did.json": "dcc-vc-test-fixtures/dids/oidf/did.json",
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/": "dcc-vc-test-fixtures/statusLists",
    # verifier-core's test list e5WK8CbZ1GjycuPombrj is the same list the vc-test-fixtures repository serves.
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/"
    "e5WK8CbZ1GjycuPombrj": "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj.json",
    "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/"
    "src/test/resources/ob30/bit-string-list/testlist": "1edtech-dcpv-testfixtures/ob30/bit-string-list/testlist.json",
    # The 1EdTech validator's mock web server for OB 2.0 (BadgeClass, Issuer, CryptographicKey, RevocationList).
    "https://example.org/": "1edtech-dcpv-testfixtures/ob20/assets",
    "http://example.org/": "1edtech-dcpv-testfixtures/ob20/assets",
}

# file → (expected status, why)
EXPECTED: dict[str, tuple[str, str]] = {
    "1edtech-dcpv-testfixtures/clr20/complex.json": (
        "unverified",
        "signed by a did:key, issuer is a urn:uuid: key not tied to the issuer",
    ),
    "1edtech-dcpv-testfixtures/clr20/simple-noproof.json": ("unverified", "CLR without proof"),
    "1edtech-dcpv-testfixtures/clr20/simple.json": (
        "intact",
        "valid CLR, eddsa-rdfc-2022; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/clr20/simple.jwt.json": (
        "intact",
        "valid CLR VC-JWT, RS256, JWK in header; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/clr20/simple_old_safesigned.json": (
        "unverified",
        "old draft CLR context not available offline",
    ),
    "1edtech-dcpv-testfixtures/clr20/simple_v1.json": (
        "unverified",
        "key is a urn: only a registered key could resolve it",
    ),
    "1edtech-dcpv-testfixtures/ob20/assertion-with-data-image.json": (
        "unverified",
        "hosted; hosted copy not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/assertion-with-endorsements.json": (
        "unverified",
        "hosted; hosted copy not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/assertion-with-extension-node-basic.json": (
        "unverified",
        "hosted; hosted copy not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/assertion-with-extension-node-invalid.json": (
        "unverified",
        "hosted; extension not validated; hosted copy not available",
    ),
    "1edtech-dcpv-testfixtures/ob20/assertion-with-multiple-extensions.json": (
        "unverified",
        "hosted; hosted copy not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/altbadgeurl.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/bad-issuer.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badge-from-organization-with-empty-revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badge-from-organization-with-revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badge-with-bad-issuer.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badge-with-data-image.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-complex-image.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-endorsements.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-language.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-verification-invalid-multiple-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-verification-invalid-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-verification-valid-multiple-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-verification-valid-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass-with-verification.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgeclass1.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/badgecriteria.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/basic-badge-no-public-key.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/beths-robot-badge.png": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/criteria-no-type.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/empty-revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/endorsement-1.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/endorsement-2.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/endorsement-3.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/endorsement-4.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-invalid-type.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-with-allowed-origins-invalid-multiple-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-with-allowed-origins-invalid-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-with-allowed-origins-valid-multiple-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-with-allowed-origins-valid-starts-with.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer-with-allowed-origins.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/issuer1.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/key1.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/key2.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/key3.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/openbadges_context.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/organization-no-public-key.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/organization-with-empty-revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/organization-with-revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/organization.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/revocation-list.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/robotics-badge.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/assets/robotics-badge.png": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/badge-class-with-language.json": ("failed", "a BadgeClass, not an assertion"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-expired-before-issued.json": ("failed", "expires before issuedOn"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-expired.json": ("expired", "expired"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-in-future.json": ("failed", "issuedOn in the future"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-invalid-context.json": ("failed", "invalid context"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-invalid-type.json": ("failed", "invalid type"),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-no-public-key.json": (
        "unverified",
        "hosted; hosted copy not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": (
        "failed",
        "id outside the issuer startsWith",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-allowed-origins-invalid-starts-with.json": (
        "failed",
        "id outside the issuer startsWith",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-allowed-origins-valid-multiple-starts-with.json": (
        "unverified",
        "hosted; not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-allowed-origins-valid-starts-with.json": (
        "unverified",
        "hosted; not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-allowed-origins.json": (
        "unverified",
        "hosted; not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion-with-language.json": (
        "unverified",
        "hosted; not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob20/basic-assertion.json": ("unverified", "hosted; not available offline"),
    "1edtech-dcpv-testfixtures/ob20/issuer-compact-iri-validation.json": ("failed", "an Issuer, not an assertion"),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/badge-class-invalid-issuer-type.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/invalid-class.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/invalid-empty-type.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/invalid-one-invalid-class.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/valid-alignment-object.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/valid-badge-class-empty-criteria-type.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/valid-badge-class.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/valid-cool-class.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/rdf-validation/valid-issuer-extension.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "1edtech-dcpv-testfixtures/ob20/redirected-validation-subject.json": ("failed", "JSON with // comments (not JSON)"),
    "1edtech-dcpv-testfixtures/ob20/simple-badge.png": ("unverified", "baked hosted assertion; not available offline"),
    "1edtech-dcpv-testfixtures/ob20/simple-not-revoked.jwt.json": (
        "verified",
        "signed RS256, key3 of the issuer, not in revocation list",
    ),
    "1edtech-dcpv-testfixtures/ob20/simple-revoked.jwt.json": ("revoked", "in the issuer revocation list"),
    "1edtech-dcpv-testfixtures/ob20/simple.jwt.json": ("verified", "signed RS256 with key1 of the issuer"),
    "1edtech-dcpv-testfixtures/ob20/warning-issuer-non-http.json": ("unverified", "hosted; not available offline"),
    "1edtech-dcpv-testfixtures/ob20/warning-with-redirection.json": ("unverified", "hosted; not available offline"),
    "1edtech-dcpv-testfixtures/ob30/bit-string-list/credential-status-revoked-blank-nodes.json": (
        "revoked",
        "revoked in BitstringStatusList",
    ),
    "1edtech-dcpv-testfixtures/ob30/bit-string-list/credential-status-revoked.json": (
        "revoked",
        "revoked in BitstringStatusList",
    ),
    "1edtech-dcpv-testfixtures/ob30/bit-string-list/testlist.json": (
        "intact",
        "the signed status list itself; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/complete.json": ("unverified", "1EdTech revocation list not available offline"),
    "1edtech-dcpv-testfixtures/ob30/complete_v1.json": ("expired", "expirationDate 2020-01-01"),
    "1edtech-dcpv-testfixtures/ob30/credential-status-revoked.json": (
        "unverified",
        "did:web issuer and revocation list not available offline",
    ),
    "1edtech-dcpv-testfixtures/ob30/endorsement-err-schema-status-refresh.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/endorsement-valid.json": (
        "intact",
        "valid endorsement; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/sd/derivedcredential.json": ("unverified", "ecdsa-sd-2023 not supported"),
    "1edtech-dcpv-testfixtures/ob30/simple-context-alias.json": (
        "intact",
        "valid; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-context-version.json": (
        "intact",
        "valid; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-did-key-method.json": (
        "unverified",
        "did:key signer, urn:uuid issuer: key not tied to the issuer",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-did-web-method.json": (
        "intact",
        "valid; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-eddsa-2022.json": (
        "intact",
        "valid (legacy eddsa-2022 name); key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-err-context.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-credential-subject-achievement-result-description-type.json": (
        "failed",
        "err fixture",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-err-credential-subject-identifier-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-credential-subject-profile-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-credential-subject-result-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-credential-subject-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-evidence-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-expired.json": ("expired", "expired"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-issued.json": ("failed", "validFrom in the future"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-issuer-otheridentifier-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-issuer-parentorg-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-issuer-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-issuer.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-proof-method-no-scheme.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-proof-method-unknown-did-method.json": (
        "unverified",
        "did:example cannot be resolved",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-err-proof-method-unknown-scheme.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-proof-method.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-proof-value.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-err-type.json": ("failed", "err fixture"),
    "1edtech-dcpv-testfixtures/ob30/simple-json.png": (
        "intact",
        "baked valid OB3; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-json.svg": (
        "intact",
        "baked valid OB3; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-jwt.png": (
        "intact",
        "baked valid OB3 VC-JWT; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-jwt.svg": (
        "intact",
        "baked valid OB3 VC-JWT; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-jwt_v1.png": (
        "intact",
        "baked valid OB3 VC-JWT; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-jwt_v1.svg": (
        "intact",
        "baked valid OB3 VC-JWT; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-multiple-proofs.json": (
        "intact",
        "one unknown + one valid proof; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple-noproof.json": ("unverified", "no proof"),
    "1edtech-dcpv-testfixtures/ob30/simple.1ob.json": (
        "intact",
        "valid; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/simple.json": ("intact", "valid; key only as multikey in the issuer URL fragment"),
    "1edtech-dcpv-testfixtures/ob30/simple.jwt.json": ("unverified", "VC-JWT with neither kid nor jwk"),
    "1edtech-dcpv-testfixtures/ob30/simple_v1.json": (
        "intact",
        "valid, Ed25519Signature2020; key only as multikey in the issuer URL fragment",
    ),
    "1edtech-dcpv-testfixtures/ob30/velocity.jwt.json": ("unverified", "did:velocity key not resolvable"),
    "1edtech-dcpv-testfixtures/tcp-ler-rs/LER-RS_V2_UC008_portability.json": (
        "unverified",
        "unsigned LER-RS; contexts not bundled",
    ),
    "1edtech-dcpv-testfixtures/tcp-ler-rs/LER-RS_V2_UC009_exchanging.json": (
        "unverified",
        "unsigned LER-RS; contexts not bundled",
    ),
    "1edtech-dcpv-testfixtures/tcp-ler-rs/LER-RS_V2_UC010_applying.json": (
        "unverified",
        "unsigned LER-RS; contexts not bundled",
    ),
    "1edtech-dcpv-testfixtures/tcp-ler-rs/LER-RS_V2_VCwrapper.json": (
        "unverified",
        "unsigned LER-RS; contexts not bundled",
    ),
    "baked/mozilla-bakery-bad-json.svg": ("failed", "not baked / broken bake"),
    "baked/mozilla-bakery-baked.svg": ("failed", 'baked content is only {"verify": {"url": ...}}: no assertion'),
    "baked/mozilla-bakery-no-json.svg": ("failed", "not baked / broken bake"),
    "baked/mozilla-bakery-unbaked.png": ("failed", "not baked / broken bake"),
    "baked/mozilla-bakery-unbaked.svg": ("failed", "not baked / broken bake"),
    "baked/ob2-validator-core-baked_heart.png": (
        "unverified",
        "hosted OB 2.0 assertion; hosted copy not available offline",
    ),
    "baked/ob2-validator-core-public_domain_heart-unbaked.png": ("failed", "not baked / broken bake"),
    "dcc-vc-test-fixtures/dids/legacy/did.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "dcc-vc-test-fixtures/dids/oidf/did.json": (
        "failed",
        "not a credential (a badge/issuer/key/list document, DID document or RDF test graph)",
    ),
    "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj.json": (
        "verified",
        "signed status list",
    ),
    "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/expired.json": (
        "expired",
        "status list past validUntil",
    ),
    "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/missingBitStringType.json": (
        "verified",
        "a valid VC (not usable as a status list)",
    ),
    "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/notYetValid.json": (
        "failed",
        "validFrom in year 3000",
    ),
    "dcc-vc-test-fixtures/statusLists/didkey-ed25519Signature2020/tampered.json": ("failed", "tampered"),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/fourRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry-basicOBv3.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/mixedRegistry-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/oidf-noStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/oidf-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/legacy-revokedStaus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/legacy-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/oidf-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/fourRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-oldDCCExample.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/oidf-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/oidf-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/fourRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/legacy-noStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/legacyRegistry-noStatus-noExpiry-issuerImageId.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/mixedRegistry-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/noRegistry-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/oidf-noStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didKey/oidf-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/legacy-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/legacy-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/oidf-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/oidf-validStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/noRegistry-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/noRegistry-revokedStatus-notExpired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didkey/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didweb/legacy-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didweb/legacy-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/bothSignatureTypes/didweb/oidf-noStatus-notExpired.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus- noExpiry-credSubjName.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/noRegsitry-revokedStatus-notExpired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json": (
        "failed",
        "validFrom in the future",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/twoOIDF-validStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didweb/legacy-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didweb/legacy-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-expiredStatus-noExpiry.json": (
        "failed",
        "its status list is invalid",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-missingTypeStatus-noExpiry.json": (
        "failed",
        "its status list is invalid",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-expired.json": (
        "expired",
        "past validUntil",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json": (
        "failed",
        "its status list is tampered",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry.json": (
        "verified",
        "valid, signed",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-notYetValidStatus-noExpiry.json": (
        "failed",
        "its status list is invalid",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-tamperedStatus-noExpiry.json": (
        "failed",
        "its status list is tampered",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/noRegistry-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/noRegistry-revokedStatus-notExpired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/oidf-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didWeb/badDidWeb.json": (
        "unverified",
        "DID document of an unknown did:web not available",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didWeb/legacy-revokedStatus-expired.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didWeb/legacy-revokedStatus-noExpiry.json": (
        "revoked",
        "revoked in its status list",
    ),
    "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didWeb/oidf-noStatus-notExpired.json": (
        "verified",
        "valid, signed",
    ),
    "edc-elm-european-commission/EDC_DiplomaSupplement_AA.xml": ("failed", "ELM v2 XML (not supported)"),
    "edc-elm-european-commission/Sample-CertOfPart-signed.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/Sample-CertOfPart-unsigned-uploadable.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/Sample-CertOfPart-unsigned.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/Sample-MC-Annex1-signed.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/Sample-MC-Annex1-unsigned-uploadable.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/Sample-MC-Annex1-unsigned.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-european-commission/credential-sample.jsonld.json": ("expired", "unsigned; validUntil 2024-09-25"),
    "edc-elm-mynextid/edc-dc-example.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-mynextid/edc-dc-signed.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-mynextid/edc-mc-example.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-mynextid/edc-mc-signed.jsonld.json": (
        "unverified",
        "EDC: unsigned, or JAdES seal whose certificate chain cannot be checked offline",
    ),
    "edc-elm-mynextid/open-badge-mc-example.json": ("unverified", "unsigned OB3"),
    "edc-elm-mynextid/open-badge-mc-signed.jwt.json": (
        "failed",
        "the published file holds only a JOSE header (no payload, no signature)",
    ),
    "ob2-spec-examples/01-assertion-example.json": ("expired", "spec assertion; expires 2017-06-30"),
    "ob2-spec-examples/02-badgeclass-example.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/03-issuer-profile-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/04-open-badges-in-linked-data.invalid-as-published.json": (
        "failed",
        "invalid JSON as published",
    ),
    "ob2-spec-examples/05-signed-badge-jws-header.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/05b-signed-badge-jws-compact.json": ("failed", "spec JWS placeholder whose key does not exist"),
    "ob2-spec-examples/06-signed-badge-jws-claims.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/07-cryptographickey-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/08-revocationlist-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/09-revoked-hosted-assertion-example.json": (
        "failed",
        "fragment of the spec (revoked hosted assertion as returned: {id, revoked})",
    ),
    "ob2-spec-examples/10-criteria-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/11-criteria-example.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/12-criteria-example.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/13-evidence-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/14-evidence-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/15-evidence-example.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/16-evidence-example.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/17-image-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/18-image-example.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/19-badgeclass-versioning.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/20-internationalization-examples.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/21-internationalization-examples.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/22-endorsement-examples.invalid-as-published.json": ("failed", "invalid JSON as published"),
    "ob2-spec-examples/23-endorsement-examples.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/24-endorsement-examples.json": ("failed", "spec fragment, not an assertion"),
    "ob2-spec-examples/25-endorsement-examples.json": ("failed", "spec fragment, not an assertion"),
    "ob3-spec-examples/achievementAlignmentCase.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/achievementAlignmentCe.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/basicOpenBadgeCredential.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/endorsement.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/fullOpenBadge.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/skillAssertionCase.json": ("unverified", "unsigned spec example"),
    "ob3-spec-examples/skillAssertionCtdl.json": ("unverified", "unsigned spec example"),
}


def fixture_options() -> VerifyOptions:
    return VerifyOptions(documents={k: str(ROOT / v) for k, v in DOCUMENTS.items()}, now=NOW)


def issuer_keys_registered(doc: dict) -> dict[str, str]:
    """What an operator who vouches for a fixture's issuer registers (CREDENTIALS_REGISTERED_KEYS): the
    multikey of each proof's https issuer-URL#multikey verification method, under that method id."""
    proofs = doc.get("proof")
    keys = {}
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        method = proof.get("verificationMethod", "") if isinstance(proof, dict) else ""
        if method.startswith("https://") and "#z" in method:
            keys[method] = method.split("#", 1)[1]
    return keys


def fixture_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and p.name != "SOURCES.md")


pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")


def test_every_fixture_is_in_the_table():
    assert set(fixture_files()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_status(name):
    result = verify_bytes((ROOT / name).read_bytes(), options=fixture_options())
    expected = EXPECTED[name][0]
    assert result.status == expected, (result.status, [(c.name, c.ok, c.detail) for c in result.checks])
    if expected != "verified":
        # Not verified → the reason is named: a failing check, or one that could not be made.
        assert result.failing_check or expected in ("expired", "revoked"), result.checks


def test_docs_table_rows_all_as_expected():
    """docs/credentials.md (from ``python -m bench.credentials_table``) lists every fixture, all as expected."""
    doc = Path(__file__).resolve().parents[2] / "docs" / "credentials.md"
    rows = [
        line.split(" | ")
        for line in doc.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line.count(" | ") >= 5 and not line.startswith("| file")
    ]
    table = {r[0][2:]: (r[1], r[2]) for r in rows if r[0][2:] in EXPECTED}
    assert set(table) == set(EXPECTED)
    assert all(expected == given for expected, given in table.values())
