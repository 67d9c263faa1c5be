"""Adverse-impact computation for one scored pool (no Django).

The definitions follow NYC Local Law 144's rules for bias audits of automated employment decision
tools (6 RCNY §5-300), which the EEOC four-fifths rule inspired:

- scoring rate of a group: the share of its members whose score is *above the pool's median score*;
- selection rate of a group: the share of its members a recruiter selected (shortlisted/contacted);
- impact ratio: a group's rate divided by the highest rate among the groups compared;
- groups under 2% of the pool may be left out of the impact ratios: they are reported separately,
  with their rates, so nothing is hidden;
- the number of people with no (consented) data is reported per dimension;
- a ratio below 0.8 (four-fifths) is flagged for human review. A flag is not a finding of
  discrimination, and nothing here changes any score or decision.

Intersections (e.g. gender × ethnicity) are computed for every combination of two or more dimensions.
apps.fairness.services feeds this from the database; the CSV/API/dashboard read its output.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

DIMENSIONS: tuple[str, ...] = ("gender", "age_band", "ethnicity")
SMALL_GROUP_SHARE = 0.02
FLAG_BELOW = 0.8
INTERSECTION_SEP = " × "


@dataclass(frozen=True)
class PoolMember:
    """One scored candidate: score, whether a human selected them, and their self-reported groups
    (``None`` or missing values mean "no data": no consent, or prefer not to say)."""

    score: float
    selected: bool
    groups: Mapping[str, str | None] = field(default_factory=dict)


@dataclass
class GroupStats:
    group: str
    count: int
    share: float  # of the whole pool
    scored_above: int
    scoring_rate: float
    selected: int
    selection_rate: float
    scoring_impact_ratio: float | None = None
    selection_impact_ratio: float | None = None
    small: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class DimensionReport:
    dimension: str  # "gender" or "gender × ethnicity"
    groups: list[GroupStats]  # compared groups, highest scoring rate first
    small_groups: list[GroupStats]  # under SMALL_GROUP_SHARE of the pool: rates shown, no ratios
    no_data: int

    @property
    def flagged(self) -> bool:
        return any(g.flagged for g in self.groups)


@dataclass
class FairnessReport:
    pool_size: int
    median_score: float | None
    selected_total: int
    with_data: int  # members with at least one consented group value
    dimensions: list[DimensionReport]
    small_group_share: float = SMALL_GROUP_SHARE
    flag_below: float = FLAG_BELOW

    @property
    def flagged(self) -> bool:
        return any(d.flagged for d in self.dimensions)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for d_out, d in zip(out["dimensions"], self.dimensions, strict=True):
            d_out["flagged"] = d.flagged
            for key in ("groups", "small_groups"):
                for g_out, g in zip(d_out[key], getattr(d, key), strict=True):
                    g_out["flagged"] = g.flagged
        out["flagged"] = self.flagged
        return out


def _value(member: PoolMember, dims: Sequence[str]) -> str | None:
    parts = []
    for d in dims:
        v = member.groups.get(d)
        if v is None or not str(v).strip():
            return None
        parts.append(str(v).strip())
    return INTERSECTION_SEP.join(parts)


def _ratio(rate: float, best: float) -> float | None:
    return round(rate / best, 4) if best > 0 else None


def dimension_report(
    members: Sequence[PoolMember],
    dims: Sequence[str],
    *,
    median: float,
    small_share: float = SMALL_GROUP_SHARE,
    flag_below: float = FLAG_BELOW,
) -> DimensionReport:
    """Rates and impact ratios for one dimension (or one intersection of dimensions)."""
    pool = len(members)
    buckets: dict[str, list[PoolMember]] = {}
    no_data = 0
    for m in members:
        key = _value(m, dims)
        if key is None:
            no_data += 1
        else:
            buckets.setdefault(key, []).append(m)
    stats = []
    for name, group in buckets.items():
        n = len(group)
        above = sum(1 for m in group if m.score > median)
        chosen = sum(1 for m in group if m.selected)
        stats.append(
            GroupStats(
                group=name,
                count=n,
                share=round(n / pool, 4),
                scored_above=above,
                scoring_rate=round(above / n, 4),
                selected=chosen,
                selection_rate=round(chosen / n, 4),
                small=n / pool < small_share,
            )
        )
    compared = [g for g in stats if not g.small]
    small = [g for g in stats if g.small]
    best_scoring = max((g.scoring_rate for g in compared), default=0.0)
    best_selection = max((g.selection_rate for g in compared), default=0.0)
    any_selected = any(g.selected for g in stats)
    for g in compared:
        g.scoring_impact_ratio = _ratio(g.scoring_rate, best_scoring)
        # No selections yet means no selection ratio to judge (None), not a ratio of 0.
        g.selection_impact_ratio = _ratio(g.selection_rate, best_selection) if any_selected else None
        if g.scoring_impact_ratio is not None and g.scoring_impact_ratio < flag_below:
            g.flags.append("scoring")
        if g.selection_impact_ratio is not None and g.selection_impact_ratio < flag_below:
            g.flags.append("selection")
    compared.sort(key=lambda g: (-g.scoring_rate, g.group))
    small.sort(key=lambda g: (-g.count, g.group))
    return DimensionReport(dimension=INTERSECTION_SEP.join(dims), groups=compared, small_groups=small, no_data=no_data)


def adverse_impact(
    members: Iterable[PoolMember],
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    small_share: float = SMALL_GROUP_SHARE,
    flag_below: float = FLAG_BELOW,
    intersections: bool = True,
) -> FairnessReport:
    """The full report: each dimension alone, then every intersection of two or more dimensions."""
    members = list(members)
    median = statistics.median(m.score for m in members) if members else None
    combos: list[tuple[str, ...]] = [(d,) for d in dimensions]
    if intersections:
        for size in range(2, len(dimensions) + 1):
            combos += list(combinations(dimensions, size))
    reports = (
        [dimension_report(members, c, median=median, small_share=small_share, flag_below=flag_below) for c in combos]
        if median is not None
        else []
    )
    with_data = sum(1 for m in members if any(_value(m, (d,)) is not None for d in dimensions))
    return FairnessReport(
        pool_size=len(members),
        median_score=median,
        selected_total=sum(1 for m in members if m.selected),
        with_data=with_data,
        dimensions=reports,
        small_group_share=small_share,
        flag_below=flag_below,
    )


CSV_HEADER = [
    "dimension",
    "group",
    "reported",
    "count",
    "share_of_pool",
    "scored_above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "selected",
    "selection_rate",
    "selection_impact_ratio",
    "flag",
]


def report_rows(report: FairnessReport) -> list[list[Any]]:
    """Rows for the CSV export (header ``CSV_HEADER``): compared groups, small groups (reported
    separately, no ratios) and one "no data" row per dimension."""

    def fmt(v: float | None) -> str:
        return "" if v is None else f"{v:.4f}"

    rows: list[list[Any]] = []
    for d in report.dimensions:
        for kind, groups in (("compared", d.groups), ("under 2% of pool", d.small_groups)):
            for g in groups:
                rows.append(
                    [
                        d.dimension,
                        g.group,
                        kind,
                        g.count,
                        fmt(g.share),
                        g.scored_above,
                        fmt(g.scoring_rate),
                        fmt(g.scoring_impact_ratio),
                        g.selected,
                        fmt(g.selection_rate),
                        fmt(g.selection_impact_ratio),
                        ";".join(g.flags),
                    ]
                )
        rows.append(
            [
                d.dimension,
                "(no data)",
                "no data",
                d.no_data,
                fmt(d.no_data / report.pool_size) if report.pool_size else "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return rows
