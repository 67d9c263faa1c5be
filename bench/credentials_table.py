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

| status | meaning |
|---|---|
| verified | a proof was checked with a key that belongs to the issuer; dates and status (where declared) hold |
| unverified | no proof, or no way to check it here (key/DID/status list/hosted copy not available, unsupported suite, JAdES seal whose certificate chain is not checked) |
| failed | a check did not hold: malformed or non-credential input, schema/type error, bad signature, key not the issuer's, issued in the future |
| expired | past its expiry date |
| revoked | listed as revoked (BitstringStatusList, 1EdTech or OB 2.0 revocation list) |

Verification is offline by default: JSON-LD contexts ship in `apps/credentials/contexts/`; DID documents,
status lists and OB 2.0 documents are read from a local map (`verify_credential --documents MAP.json`) or, when
the operator sets `CREDENTIALS_VERIFY_NETWORK = True`, over HTTPS with a short timeout. Keys an issuer publishes
elsewhere can be registered with `CREDENTIALS_REGISTERED_KEYS` (verificationMethod id → JWK, PEM or multikey).
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
