"""When a required skill counts as covered: one threshold for every page, export and API.

A required skill's coverage is the engine's credit for the candidate's best evidence (0..1, see
docs/model-card.md). Every reader of a score sorts that credit into one of three words with the
same line, so that a shortlist chip, the candidate panel, a seeker's gap and pathway pages, the CSV
export and the API never disagree about the same number:

- **covered**: credit of at least :data:`COVERED_AT`;
- **partial**: some evidence, credit above 0 but below :data:`COVERED_AT` (shown as partial, never
  with the tick of a covered skill);
- **missing**: no evidence at all (credit 0).

A must-have skill that is not covered (partial or missing) fails the must-have: the engine's
``MatchParams.must_have_threshold`` defaults to this value. No Django here.
"""

from __future__ import annotations

import math
from typing import Final, Literal

# Half the credit of a verified credential for the exact skill: a self-declared exact match (strength
# 0.5) just reaches it, weak or distant evidence does not.
COVERED_AT: Final[float] = 0.5

COVERED: Final = "covered"
PARTIAL: Final = "partial"
MISSING: Final = "missing"
Status = Literal["covered", "partial", "missing"]


def coverage_status(credit: object, threshold: float = COVERED_AT) -> Status:
    """ "covered", "partial" or "missing" for a credit; anything that is not a finite number counts as
    no evidence (stored explanations are JSON and may hold null)."""
    try:
        c = float(credit)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MISSING
    if not math.isfinite(c) or c <= 0.0:
        return MISSING
    return COVERED if c >= threshold else PARTIAL


def is_covered(credit: object, threshold: float = COVERED_AT) -> bool:
    return coverage_status(credit, threshold) == COVERED


def explanation_statuses(explanation: object, names: list[str] | None = None) -> dict[str, Status]:
    """{required skill: status} from a stored MatchScore.explanation: each match's credit, else the
    per-skill ``coverage`` (rows of a large pool explained without matches), else missing. ``names``
    (the job's required skills, in order) fixes the keys; without it, the explanation's own."""
    exp = explanation if isinstance(explanation, dict) else {}
    credit: dict[str, object] = {}
    coverage = exp.get("coverage")
    if isinstance(coverage, dict):
        credit.update({str(k): v for k, v in coverage.items()})
    for m in exp.get("matches") or []:
        if isinstance(m, dict) and m.get("required") is not None:
            credit[str(m["required"])] = m.get("credit")
    keys = names if names is not None else list(credit)
    return {n: coverage_status(credit.get(n)) for n in keys}


def names_with(statuses: dict[str, Status], status: Status) -> list[str]:
    return [n for n, s in statuses.items() if s == status]
