"""The set-cover optimizer (apps.pathways.optimizer): hand-checked answers and brute force."""

from __future__ import annotations

import itertools
import random

import pytest

from apps.pathways import optimizer as pathways
from apps.pathways.optimizer import Option, harmonic, solve


def _opts(spec: dict[str, tuple[float, str]]) -> list[Option]:
    """{"a": (40, "xy")} → Option a costing 40 covering elements x and y."""
    return [Option(key=k, cost=c, covers=frozenset(cov)) for k, (c, cov) in spec.items()]


def _covered_by(options: list[Option], keys) -> set:
    by = {o.key: o for o in options}
    return set().union(*(by[k].covers for k in keys)) if keys else set()


def _all_covers(elements, options, max_sets=None):
    """Every cover of the coverable elements, by brute force: [(cost, keys)]."""
    need = set(elements) & set().union(*(o.covers for o in options)) if options else set()
    out = []
    for r in range(len(options) + 1):
        if max_sets is not None and r > max_sets:
            break
        for comb in itertools.combinations(options, r):
            if need <= set().union(*(o.covers for o in comb)) if comb else not need:
                out.append((sum(o.cost for o in comb), tuple(o.key for o in comb)))
    return out


def _minimal(cover_keys, options, need) -> bool:
    return all(not need <= _covered_by(options, [k for k in cover_keys if k != drop]) for drop in cover_keys)


def test_hand_checked_bundle_beats_singles():
    # x, y, z to cover: a+b+c = 120 h, the bundle d (x+y) + c = 118 h, e (xyz) = 130 h
    options = _opts({"a": (40, "x"), "b": (30, "y"), "c": (50, "z"), "d": (68, "xy"), "e": (130, "xyz")})
    s = solve(elements="xyz", options=options)
    assert s.method == "exact" and s.bound == 1.0
    assert s.best.keys == ("c", "d") and s.best.cost == 118
    # within 10% of 118 (≤ 129.8): a+b+c = 120 only; e (130) is just outside
    assert [(a.keys, a.cost) for a in s.alternatives] == [(("a", "b", "c"), 120)]


def test_uncoverable_elements_are_reported_and_the_rest_covered():
    s = solve(elements=["x", "y", "q"], options=_opts({"a": (10, "x"), "b": (5, "y")}))
    assert s.uncoverable == {"q"} and s.covered == {"x", "y"}
    assert s.best.keys == ("a", "b") and s.best.cost == 15


def test_nothing_to_cover():
    s = solve(elements=[], options=_opts({"a": (10, "x")}))
    assert s.best.keys == () and s.best.cost == 0 and s.method == "none"


def test_max_sets_limits_the_number_of_offerings():
    options = _opts({"a": (10, "x"), "b": (10, "y"), "c": (10, "z"), "d": (50, "xyz")})
    assert solve(elements="xyz", options=options).best.keys == ("a", "b", "c")
    assert solve(elements="xyz", options=options, max_sets=2).best.keys == ("d",)
    assert solve(elements="xyz", options=options[:3], max_sets=2).best is None


def test_equal_cost_prefers_fewer_offerings_then_catalog_order():
    options = _opts({"a": (10, "x"), "b": (10, "y"), "c": (20, "xy"), "d": (20, "xy")})
    s = solve(elements="xy", options=options)
    assert s.best.keys == ("c",)
    assert [a.keys for a in s.alternatives] == [("d",), ("a", "b")]


def test_twin_offerings_show_up_as_alternatives():
    # another provider's equivalent course, 5% dearer: an alternative, not dropped as dominated
    options = _opts({"a": (100, "xy"), "a2": (105, "xy"), "b": (300, "x")})
    s = solve(elements="xy", options=options)
    assert s.best.keys == ("a",) and [a.keys for a in s.alternatives] == [("a2",)]


@pytest.mark.parametrize("seed", range(5))
def test_random_small_catalogs_match_brute_force(seed):
    rng = random.Random(seed)
    for _ in range(150):
        m = rng.randint(1, 7)
        elements = list(range(m))
        options = [
            Option(
                key=f"o{i}",
                cost=rng.randint(1, 60),
                covers=frozenset(rng.sample(range(m + 1), rng.randint(1, min(3, m + 1)))),
            )
            for i in range(rng.randint(0, 9))
        ]
        max_sets = rng.choice([None, None, 1, 2])
        covers = _all_covers(elements, options, max_sets)
        s = solve(elements=elements, options=options, max_sets=max_sets, alternatives=3, tolerance=0.1)
        if not covers:
            assert s.best is None
            continue
        optimum = min(c for c, _ in covers)
        assert s.best.cost == pytest.approx(optimum)
        assert s.covered <= _covered_by(options, s.best.keys)
        assert s.uncoverable == set(elements) - set().union(set(), *(o.covers for o in options))
        # alternatives: exactly the next-cheapest minimal covers within 10%, best excluded
        need = set(s.covered)
        within = sorted(
            (c, len(k), tuple(sorted(k, key=lambda x: int(x[1:]))))
            for c, k in covers
            if c <= optimum * 1.1 + 1e-9 and _minimal(k, options, need)
        )
        expected = [w for w in within if set(w[2]) != set(s.best.keys)][:3]
        assert [a.cost for a in s.alternatives] == pytest.approx([w[0] for w in expected])
        for a in s.alternatives:
            assert need <= _covered_by(options, a.keys) and _minimal(a.keys, options, need)


def test_budget_exhausted_falls_back_to_integer_programming():
    rng = random.Random(7)
    options = [
        Option(key=f"o{i}", cost=rng.randint(1, 60), covers=frozenset(rng.sample(range(6), 2))) for i in range(8)
    ]
    exact = solve(elements=range(6), options=options)
    milp = solve(elements=range(6), options=options, node_limit=1)
    assert milp.method == "milp" and milp.best.cost == pytest.approx(exact.best.cost)


def test_greedy_stays_within_its_bound():
    rng = random.Random(11)
    for _ in range(200):
        m = rng.randint(1, 8)
        options = [
            Option(key=f"o{i}", cost=rng.randint(1, 60), covers=frozenset(rng.sample(range(m), rng.randint(1, m))))
            for i in range(rng.randint(1, 8))
        ]
        p = pathways._Problem(universe=0, masks=[], costs=[], keys=[])
        for o in options:
            p.masks.append(sum(1 << e for e in o.covers))
            p.costs.append(o.cost)
            p.keys.append(o.key)
            p.universe |= p.masks[-1]
        chosen = pathways._greedy(p, list(range(len(options))))
        exact = solve(elements=range(m), options=options).best.cost
        got = sum(p.costs[i] for i in chosen)
        assert _covered_by(options, [p.keys[i] for i in chosen]) >= {e for o in options for e in o.covers}
        assert got <= harmonic(max(len(o.covers) for o in options)) * exact + 1e-9


def test_large_catalog_is_solved_exactly_and_quickly():
    import time

    rng = random.Random(3)
    options = [
        Option(key=f"o{i}", cost=rng.randint(10, 300), covers=frozenset(rng.sample(range(60), rng.randint(1, 6))))
        for i in range(3000)
    ]
    t0 = time.perf_counter()
    s = solve(elements=range(12), options=options)
    assert s.method == "exact"
    assert time.perf_counter() - t0 < 10
    assert set(range(12)) <= _covered_by(options, s.best.keys)


def test_negative_cost_is_rejected():
    with pytest.raises(ValueError):
        solve(elements="x", options=_opts({"a": (-1, "x")}))
