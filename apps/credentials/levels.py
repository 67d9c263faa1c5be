"""Qualification levels and their EQF equivalents (no Django).

EQF has 8 levels; NZQF and AQF have 10. The mapping follows the published referencing reports in
spirit (bachelor: EQF 6 = NZQF 7 = AQF 7; master: EQF 7 = NZQF 9 = AQF 9; doctorate: EQF 8 = 10).
"""
from __future__ import annotations

_TEN_TO_EQF = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 5, 7: 6, 8: 7, 9: 7, 10: 8}
FRAMEWORKS = {
    "EQF": {i: i for i in range(1, 9)},
    "NZQF": _TEN_TO_EQF,
    "AQF": _TEN_TO_EQF,
    "AQRF": {i: i for i in range(1, 9)},
}


def to_eqf(framework: str, value: int | None) -> int | None:
    """The EQF-equivalent level, or None if the framework or value is unknown."""
    if value is None:
        return None
    return FRAMEWORKS.get((framework or "EQF").upper(), {}).get(int(value))
