"""Blind labels (apps.matching.blind): a keyed code per job and candidate, never the rank."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from apps.matching.blind import blind_code

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@given(st.text(min_size=1, max_size=50), st.integers(1, 2**62), st.integers(1, 2**62))
def test_a_code_is_stable_and_well_formed(key, job, cand):
    code = blind_code(key, job, cand)
    assert CODE.match(code), code
    assert blind_code(key, job, cand) == code


def test_codes_depend_on_key_job_and_candidate():
    assert blind_code("k", 1, 2) != blind_code("k2", 1, 2)
    assert blind_code("k", 1, 2) != blind_code("k", 3, 2)
    assert blind_code("k", 1, 2) != blind_code("k", 1, 3)
    # bytes and str keys agree
    assert blind_code(b"k", 1, 2) == blind_code("k", 1, 2)


def test_few_collisions_in_a_large_job():
    codes = {blind_code("secret", 7, c) for c in range(1, 20_001)}
    assert len(codes) == 20_000  # 2**40 codes: no two of 20,000 candidates share one
