"""Render docs/credentials.md: every credential fixture, its expected status and the status the verifier gives.

    .venv/bin/python -m bench.credentials_table [--out docs/credentials.md]

Expectations and the URL → local-file map come from tests/credentials/test_verify_fixtures.py (written by hand
from fixture names and SOURCES.md); the statuses come from apps.credentials.verify, run offline.
"""

# ruff: noqa: E501  (the Markdown table rows in INTRO are kept on one line each)
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from apps.credentials.verify import verify_bytes
from tests.credentials.test_verify_fixtures import EXPECTED, ROOT, fixture_files, fixture_options

INTRO = """# Credentials: formats, checks and the fixture table

Tsumiki reads Open Badges 2.0 (hosted and signed assertions, baked PNG/SVG), Open Badges 3.0 and CLR 2.0
(JSON-LD with `eddsa-rdfc-2022` / `Ed25519Signature2020` proofs, VC-JWT RS256/ES256/EdDSA, baked PNG/SVG) and
European Digital Credentials (ELM v3 JSON-LD, JAdES-sealed envelopes). Each credential gets named checks
(`input`, `structure`, `context`, `key`, `proof`, `issuer`, `validity`, `status`, `recipient`, `seal`, `trust`,
`inner`) — `ok` true, false, or null when it could not be checked — and one status:

| status | what it proves |
|---|---|
| verified | a proof holds with a key tied to the issuer by something outside the file: the issuer *is* that did:key, the issuer's did:web DID document or https issuer profile lists it, an OB 2.0 hosted assertion or CryptographicKey is served from the issuer, or the operator registered it (`CREDENTIALS_REGISTERED_KEYS`); dates and status (where declared) hold |
| intact | **intact, issuer not confirmed**: a proof holds, but only with a key the credential carries itself (a JWK in the JOSE header, a multikey in the fragment of the issuer URL) that nothing outside the file names. The file is unchanged since it was signed; anyone can make such a file in any issuer's name. Scored between verified and unverified (`intact` strength 0.9, `apps/matching/engine.py`), never as verified |
| unverified | no proof, or no way to check it here (key/DID/status list/hosted copy not available, unsupported suite, JAdES seal whose certificate chain is not checked) |
| failed | a check did not hold: malformed or non-credential input, schema/type error, bad signature, key not the issuer's, issued in the future |
| expired | past its expiry date |
| revoked | listed as revoked (BitstringStatusList, 1EdTech or OB 2.0 revocation list) |

JSON-LD contexts ship in `apps/credentials/contexts/`. DID documents, issuer profiles, status lists and OB 2.0
documents are read from a local map (`CREDENTIALS_VERIFY_DOCUMENTS`, `verify_credential --documents MAP.json`)
or, while the product's network use is on (`TSUMIKI_FETCH_ENABLED`, default on; off in tests), over HTTPS through
the SSRF-safe fetcher (`apps/api/fetcher.py`: public addresses only, resolved once and connected to as checked,
redirects re-checked, size and time limits). Keys an issuer publishes elsewhere can be registered with
`CREDENTIALS_REGISTERED_KEYS` (verificationMethod id → JWK, PEM or multikey).
Files over `CREDENTIALS_MAX_UPLOAD_BYTES` (5 MB), PNG text chunks that inflate past 8 MB, JSON nested deeper
than 64 levels and non-JSON input are refused with a message.

"""

# Everything above this heading in an existing file is hand-written (key sources, VC-JWT dates, level
# referencing) and kept as it is; only the table part below is regenerated.
TABLE_HEADING = "## Fixture table"
TABLE_HEAD = (
    TABLE_HEADING
    + """

Produced by `python -m bench.credentials_table` over `../shared/data/credentials` (every file but SOURCES.md),
offline, with `now` fixed at {now}. "expected" is written by hand in
`tests/credentials/test_verify_fixtures.py` from each file's name and SOURCES.md; the test fails if any row
differs.

{summary}

| file | expected | given | format | failing / unchecked check | why expected |
|---|---|---|---|---|---|
"""
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/credentials.md")
    args = parser.parse_args(argv)
    opts = fixture_options()
    rows, agree = [], Counter()
    for name in fixture_files():
        result = verify_bytes((ROOT / name).read_bytes(), options=opts)
        expected, why = EXPECTED.get(name, ("?", "not in the table"))
        agree[result.status == expected] += 1
        mark = "" if result.status == expected else " ✗"
        rows.append(
            f"| {name} | {expected} | {result.status}{mark} | {result.format} | "
            f"{result.failing_check or ''} | {why.replace('|', '/')} |"
        )
    total = agree[True] + agree[False]
    statuses = Counter(r.split(" | ")[1] for r in rows)
    summary = (
        f"**{agree[True]} of {total} fixtures as expected.** Expected statuses: "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + "."
    )
    out = Path(args.out)
    existing = out.read_text(encoding="utf-8") if out.exists() else ""
    intro = existing.split(TABLE_HEADING, 1)[0] if TABLE_HEADING in existing else INTRO
    table = TABLE_HEAD.replace("{now}", opts.current_time().date().isoformat()).replace("{summary}", summary)
    out.write_text(intro + table + "\n".join(rows) + "\n", encoding="utf-8")
    print(summary)
    return 0 if not agree[False] else 1


if __name__ == "__main__":
    sys.exit(main())
