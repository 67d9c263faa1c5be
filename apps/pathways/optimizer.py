"""Pathways: the cheapest set of catalog offerings that covers a set of skills (no Django).

A weighted set cover: elements are a job's required skills that a seeker lacks, options are catalog
offerings (cost = learning hours) with the elements each covers (decided by apps.pathways.gaps, which
asks the scoring engine). Three solvers, tried in this order by ``solve``:

1. branch and bound (exact): branch on the uncovered element with the fewest options, one branch per
   option that covers it, the i-th branch barring options 1..i-1 so that every cover is visited once;
   prune with a fractional lower bound (each uncovered element pays at least the cheapest per-element
   price of an option covering it). Dominated options (a superset of skills for no more hours) are
   dropped first. A job has tens of skills, so this is exact within milliseconds for catalogs of
   hundreds or thousands of offerings; a node budget stops it on pathological inputs;
2. integer programming (scipy.optimize.milp, HiGHS), exact, when the budget ran out;
3. greedy (Chvátal): repeatedly the option with the fewest hours per newly covered skill, then redundant
   options removed; its cost is at most H(d) ≤ 1 + ln d times the optimum, d the most skills one option
   covers. Used only when both exact solvers give up, and said so (``Solution.method``/``bound``).

Alternatives: the next-cheapest *minimal* covers (no offering can be dropped) within ``tolerance`` of the
optimum, cheapest first, by Murty's k-best partitioning over the exact solver (so a different provider's
equivalent course shows up as an alternative).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

_EPS = 1e-9


@dataclass(frozen=True)
class Option:
    """One offering as the optimizer sees it. ``covers`` holds element ids (any hashables)."""

    key: str
    cost: float
    covers: frozenset[Any] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Cover:
    """A set of options, in the order the options were given, with their total cost."""

    keys: tuple[str, ...]
    cost: float


@dataclass
class Solution:
    best: Cover | None  # None only when nothing needs covering... or nothing can be covered
    alternatives: list[Cover]
    method: str  # "exact" (branch and bound), "milp", "greedy", or "none" (nothing to cover)
    bound: float  # the guarantee: cost ≤ bound × optimum (1.0 when exact)
    covered: frozenset[Any]  # the elements the solution covers (= every coverable one)
    uncoverable: frozenset[Any]  # requested elements that no option covers
    nodes: int = 0  # branch-and-bound nodes visited (for benchmarks)


class _Budget(Exception):
    """Raised inside the search when the node budget is spent."""


def harmonic(n: int) -> float:
    """H(n) = 1 + 1/2 + … + 1/n: greedy's approximation factor when no option covers more than n."""
    return sum(1.0 / k for k in range(1, n + 1)) if n > 0 else 1.0


@dataclass
class _Problem:
    universe: int  # bitmask of elements to cover
    masks: list[int]  # per option
    costs: list[float]
    keys: list[str]


def _popcount(x: int) -> int:
    return x.bit_count()


def _bits(x: int) -> Iterable[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _order_key(p: _Problem, chosen: Sequence[int]) -> tuple[Any, ...]:
    """Deterministic preference among equal-cost covers: fewer offerings, then catalog order."""
    return (round(sum(p.costs[i] for i in chosen), 9), len(chosen), tuple(sorted(chosen)))


def _undominated(p: _Problem, candidates: Sequence[int]) -> list[int]:
    """Drop options whose skills another option also covers for no more hours (ties: keep the first)."""
    by_mask: dict[int, int] = {}
    for i in candidates:
        m = p.masks[i] & p.universe
        j = by_mask.get(m)
        if m and (j is None or p.costs[i] < p.costs[j] - _EPS):
            by_mask[m] = i
    # Sorted by cost, an option can only be dominated by one before it (or an equal-cost one after).
    uniq = sorted(by_mask.items(), key=lambda kv: (p.costs[kv[1]], -kv[0].bit_count(), kv[1]))
    keep: list[int] = []
    kept_masks: list[tuple[int, float]] = []
    for m, i in uniq:
        ci = p.costs[i]
        if not any((m & ~km) == 0 and kc <= ci + _EPS for km, kc in kept_masks):
            keep.append(i)
            kept_masks.append((m, ci))
    return sorted(keep)


class _Search:
    """Branch and bound over covers of ``p.universe`` using options ``allowed``."""

    def __init__(self, p: _Problem, allowed: Sequence[int], *, node_limit: int, max_sets: int | None) -> None:
        self.p = p
        self.allowed = list(allowed)
        self.node_limit = node_limit
        self.max_sets = max_sets
        self.nodes = 0
        self.by_elem: dict[int, list[int]] = {}
        for i in self.allowed:
            for e in _bits(p.masks[i] & p.universe):
                self.by_elem.setdefault(e, []).append(i)
        for lst in self.by_elem.values():
            lst.sort(key=lambda i: (p.costs[i], -_popcount(p.masks[i] & p.universe), i))
        self.max_cover = max((_popcount(p.masks[i] & p.universe) for i in self.allowed), default=0)

    def _lower_bound(self, uncovered: int, banned: int) -> tuple[float, int]:
        """(fractional lower bound on the cost to cover ``uncovered``, the element with fewest options);
        (inf, -1) when some element can no longer be covered."""
        p = self.p
        total = 0.0
        pick, fewest = -1, math.inf
        for e in _bits(uncovered):
            best = math.inf
            count = 0
            for i in self.by_elem.get(e, ()):
                if banned >> i & 1:
                    continue
                count += 1
                price = p.costs[i] / _popcount(p.masks[i] & uncovered)
                if price < best:
                    best = price
            if count == 0:
                return math.inf, -1
            total += best
            if count < fewest:
                fewest, pick = count, e
        return total, pick

    def run(self, visit: Any, bound_fn: Any) -> None:
        """Depth-first search; ``visit(chosen, cost)`` is called for every cover found; ``bound_fn()``
        is the current pruning threshold (a cover costing more is of no interest)."""
        self._visit, self._bound = visit, bound_fn
        self._go(self.p.universe, 0, [], 0.0)

    def _go(self, uncovered: int, banned: int, chosen: list[int], cost: float) -> None:
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise _Budget
        if uncovered == 0:
            self._visit(chosen, cost)
            return
        if self.max_sets is not None:
            slots = self.max_sets - len(chosen)
            if slots <= 0 or slots * self.max_cover < _popcount(uncovered):
                return
        lb, elem = self._lower_bound(uncovered, banned)
        if elem < 0 or cost + lb > self._bound() + _EPS:
            return
        for i in self.by_elem[elem]:
            if banned >> i & 1:
                continue
            chosen.append(i)
            self._go(uncovered & ~self.p.masks[i], banned, chosen, cost + self.p.costs[i])
            chosen.pop()
            banned |= 1 << i  # later branches: covers whose first option for ``elem`` comes after i


def _exact(p: _Problem, candidates: Sequence[int], *, node_limit: int, max_sets: int | None) -> tuple[Any, int]:
    """(best option list, nodes) or (None, nodes) when infeasible; raises _Budget."""
    search = _Search(p, _undominated(p, candidates), node_limit=node_limit, max_sets=max_sets)
    best: dict[str, Any] = {"key": None, "chosen": None, "cost": math.inf}

    def visit(chosen: list[int], cost: float) -> None:
        key = _order_key(p, chosen)
        if best["key"] is None or key < best["key"]:
            best.update(key=key, chosen=sorted(chosen), cost=cost)

    search.run(visit, lambda: best["cost"])
    return best["chosen"], search.nodes


def _is_minimal(p: _Problem, chosen: Sequence[int]) -> bool:
    """True when no option of ``chosen`` can be dropped (alternatives with a useless course are not shown)."""
    for i in chosen:
        rest = 0
        for j in chosen:
            if j != i:
                rest |= p.masks[j]
        if rest & p.universe == p.universe:
            return False
    return True


def _solve_sub(
    p: _Problem,
    useful: Sequence[int],
    include: tuple[int, ...],
    exclude: frozenset[int],
    *,
    node_limit: int,
    max_sets: int | None,
) -> list[int] | None:
    """The best cover that uses every option of ``include`` and none of ``exclude`` (Murty's partition)."""
    forced = 0
    for i in include:
        forced |= p.masks[i]
    rest = p.universe & ~forced
    if rest == 0:
        return sorted(include)
    if max_sets is not None and len(include) >= max_sets:
        return None
    sub = _Problem(universe=rest, masks=p.masks, costs=p.costs, keys=p.keys)
    cands = [i for i in useful if i not in exclude and i not in include and p.masks[i] & rest]
    chosen, _ = _exact(
        sub, cands, node_limit=node_limit, max_sets=None if max_sets is None else max_sets - len(include)
    )
    return None if chosen is None else sorted((*include, *chosen))


def _k_best(
    p: _Problem,
    useful: Sequence[int],
    best: list[int],
    *,
    limit_cost: float,
    keep: int,
    node_limit: int,
    max_sets: int | None,
    max_solves: int = 200,
) -> list[list[int]]:
    """Minimal covers after ``best`` in order of cost, at most ``limit_cost``, up to ``keep`` of them.

    Murty's k-best scheme: the space of covers other than a solution S = (s1..sk) is split into
    "without s1", "with s1, without s2", …; each part's optimum is found by the exact solver and the
    cheapest part is expanded next. Best effort: a part whose search runs out of budget is skipped."""
    import heapq

    tie = 0
    heap: list[Any] = [(_order_key(p, best), tie, best, (), frozenset())]
    out: list[list[int]] = []
    solves = 0
    while heap and len(out) < keep + 1:
        key, _, sol, inc, exc = heapq.heappop(heap)
        if key[0] > limit_cost + _EPS:
            break
        if _is_minimal(p, sol):
            out.append(sol)
        free = [i for i in sol if i not in inc]
        for j, o in enumerate(free):
            if solves >= max_solves:
                break
            solves += 1
            new_inc, new_exc = (*inc, *free[:j]), exc | {o}
            try:
                nxt = _solve_sub(p, useful, new_inc, new_exc, node_limit=node_limit, max_sets=max_sets)
            except _Budget:
                continue
            if nxt is not None:
                tie += 1
                heapq.heappush(heap, (_order_key(p, nxt), tie, nxt, new_inc, new_exc))
    return [c for c in out if c != best][:keep]


def _greedy(p: _Problem, candidates: Sequence[int]) -> list[int]:
    uncovered = p.universe
    chosen: list[int] = []
    while uncovered:
        best, best_price = -1, math.inf
        for i in candidates:
            new = _popcount(p.masks[i] & uncovered)
            if new and p.costs[i] / new < best_price - _EPS:
                best, best_price = i, p.costs[i] / new
        if best < 0:
            break  # cannot happen: the universe holds only coverable elements
        chosen.append(best)
        uncovered &= ~p.masks[best]
    # reverse delete: drop the costliest options that turned out redundant
    for i in sorted(chosen, key=lambda i: -p.costs[i]):
        rest = 0
        for j in chosen:
            if j != i:
                rest |= p.masks[j]
        if rest & p.universe == p.universe:
            chosen.remove(i)
    return sorted(chosen)


def _milp(p: _Problem, candidates: Sequence[int], *, max_sets: int | None, time_limit: float) -> list[int] | None:
    """Exact integer programme (min Σ c·x, each element covered at least once); None if scipy is
    missing or HiGHS did not prove optimality in time."""
    try:
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp
    except ImportError:  # pragma: no cover - scipy is a dependency, but the optimizer must not need it
        return None
    cand = list(candidates)
    elems = list(_bits(p.universe))
    a = np.zeros((len(elems) + (1 if max_sets else 0), len(cand)))
    for col, i in enumerate(cand):
        for row, e in enumerate(elems):
            if p.masks[i] >> e & 1:
                a[row, col] = 1.0
    lower = np.ones(a.shape[0])
    upper = np.full(a.shape[0], np.inf)
    if max_sets:
        a[-1, :] = 1.0
        lower[-1], upper[-1] = 0.0, float(max_sets)
    res = milp(
        c=np.array([p.costs[i] for i in cand]),
        constraints=[LinearConstraint(a, lower, upper)],
        integrality=np.ones(len(cand)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    if res.status != 0 or res.x is None:
        return None
    return sorted(cand[col] for col, v in enumerate(res.x) if v > 0.5)


def solve(
    *,
    elements: Iterable[Any],
    options: Sequence[Option],
    alternatives: int = 3,
    tolerance: float = 0.10,
    max_sets: int | None = None,
    node_limit: int = 200_000,
    milp_time_limit: float = 5.0,
) -> Solution:
    """The cheapest cover of the coverable ``elements`` by ``options``, plus up to ``alternatives``
    other minimal covers costing at most (1 + ``tolerance``) × the optimum.

    ``max_sets`` limits how many options a cover may use (jobs "one or two offerings away"); when no
    cover fits, ``best`` is None. Among covers of equal cost the one with fewer options, then the one
    using earlier options, wins, so results are reproducible."""
    wanted = list(dict.fromkeys(elements))
    bit = {e: k for k, e in enumerate(wanted)}
    masks, costs, keys = [], [], []
    coverable = 0
    for o in options:
        if o.cost < 0 or not math.isfinite(o.cost):
            raise ValueError(f"option {o.key!r}: cost must be a finite non-negative number, got {o.cost}")
        m = 0
        for e in o.covers:
            if e in bit:
                m |= 1 << bit[e]
        masks.append(m)
        costs.append(float(o.cost))
        keys.append(o.key)
        coverable |= m
    uncoverable = frozenset(e for e in wanted if not coverable >> bit[e] & 1)
    covered = frozenset(e for e in wanted if coverable >> bit[e] & 1)
    p = _Problem(universe=coverable, masks=masks, costs=costs, keys=keys)
    if coverable == 0:
        return Solution(
            best=Cover((), 0.0), alternatives=[], method="none", bound=1.0, covered=covered, uncoverable=uncoverable
        )
    useful = [i for i, m in enumerate(masks) if m]

    def cover(chosen: Sequence[int]) -> Cover:
        return Cover(tuple(keys[i] for i in sorted(chosen)), round(sum(costs[i] for i in chosen), 9))

    method, bound, nodes = "exact", 1.0, 0
    try:
        chosen, nodes = _exact(p, useful, node_limit=node_limit, max_sets=max_sets)
    except _Budget:
        nodes = node_limit
        chosen = _milp(p, useful, max_sets=max_sets, time_limit=milp_time_limit)
        method = "milp"
        if chosen is None and max_sets is None:
            chosen = _greedy(p, useful)
            method, bound = "greedy", harmonic(max(_popcount(masks[i]) for i in useful))
    if chosen is None:  # no cover within max_sets
        return Solution(
            best=None,
            alternatives=[],
            method=method,
            bound=bound,
            covered=covered,
            uncoverable=uncoverable,
            nodes=nodes,
        )
    best = cover(chosen)
    alts: list[Cover] = []
    if alternatives > 0:
        limit_cost = best.cost * (1.0 + tolerance)
        alts = [
            cover(c)
            for c in _k_best(
                p,
                useful,
                sorted(chosen),
                limit_cost=limit_cost,
                keep=alternatives,
                node_limit=node_limit,
                max_sets=max_sets,
            )
        ]
    return Solution(
        best=best, alternatives=alts, method=method, bound=bound, covered=covered, uncoverable=uncoverable, nodes=nodes
    )
