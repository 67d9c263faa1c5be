"""Blind labels: what a degree-blind shortlist calls a candidate before anyone reveals them.

A label is a short code derived from a keyed hash (HMAC-SHA256) of the job's and the candidate's ids,
so it is the same candidate's label in every run of that job, after every rescore and in the CSV
export, and it says nothing about rank, score or identity. The key is the deployment's secret (Django's
``SECRET_KEY`` by default, ``TSUMIKI_BLIND_LABEL_KEY`` when set), so nobody outside can work a
candidate id back from a label. Different jobs give the same candidate unrelated labels: two
shortlists cannot be joined on labels.

Eight characters of Crockford's base32 (no I, L, O, U), written in two groups of four: 2**40
codes, so in a job with 100,000 candidates the chance that any two share a label is about 0.5%.
No Django here; callers pass the key.
"""

from __future__ import annotations

import hashlib
import hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 8


def blind_code(key: str | bytes, job_id: int, candidate_id: int) -> str:
    """e.g. "K7QX-2MPA": stable for (key, job, candidate)."""
    secret = key.encode() if isinstance(key, str) else key
    message = f"tsumiki-blind-label:{int(job_id)}:{int(candidate_id)}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    n = int.from_bytes(digest[:5], "big")  # 40 bits: eight base32 characters
    chars = []
    for _ in range(CODE_CHARS):
        n, r = divmod(n, 32)
        chars.append(ALPHABET[r])
    code = "".join(reversed(chars))
    return f"{code[:4]}-{code[4:]}"
