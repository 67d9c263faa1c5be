"""The normalizer's tree fusion: numpy evaluation of trees copied out of scikit-learn."""

import json

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from apps.skills.fusion import TreeFusion, fit_trees
from apps.skills.normalizer import calibration_error


def _data(n=3000, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] + rng.normal(scale=0.5, size=n)) > 0.3
    return x, y


def test_tree_fusion_reproduces_scikit_learn_probabilities_exactly():
    x, y = _data()
    model = HistGradientBoostingClassifier(max_iter=60, max_leaf_nodes=15, early_stopping=False, random_state=0)
    model.fit(x, y)
    fusion = TreeFusion.from_sklearn(model)
    test, _ = _data(500, seed=2)
    np.testing.assert_allclose(fusion.proba(test), model.predict_proba(test)[:, 1], rtol=1e-9, atol=1e-12)


def _walked_one_by_one(fusion: TreeFusion, x: np.ndarray) -> np.ndarray:
    """Each row down each tree in plain Python, leaf values added in tree order from the baseline."""
    out = []
    for row in x:
        total = fusion.baseline
        for root in fusion.roots:
            node = root
            while not fusion.leaf[node]:
                node = fusion.left[node] if row[fusion.feature[node]] <= fusion.threshold[node] else fusion.right[node]
            total += fusion.value[node]
        out.append(total)
    return np.array(out)


def test_vectorized_walk_equals_walking_each_tree_to_the_bit():
    x, y = _data()
    fusion = fit_trees(x, y)
    test, _ = _data(300, seed=3)
    test[::7, 1] = np.nan  # a missing value goes right, as in scikit-learn
    np.testing.assert_array_equal(fusion.raw(test), _walked_one_by_one(fusion, test))
    np.testing.assert_array_equal(fusion.raw(test[:1]), _walked_one_by_one(fusion, test[:1]))
    assert fusion.raw(test[:0]).shape == (0,)


def test_a_stored_fusion_round_trips_through_json():
    x, y = _data()
    fusion = fit_trees(x, y)
    again = TreeFusion.from_dict(json.loads(json.dumps(fusion.as_dict())))
    np.testing.assert_array_equal(again.proba(x[:100]), fusion.proba(x[:100]))
    assert again.proba(np.zeros((0, 5))).shape == (0,)


def test_a_mean_of_fusions_scores_the_mean_of_their_log_odds():
    x, y = _data()
    a, b = fit_trees(x[:1500], y[:1500]), fit_trees(x[1500:], y[1500:])
    both = TreeFusion.mean([a, b])
    test, _ = _data(300, seed=4)
    np.testing.assert_allclose(both.raw(test), (a.raw(test) + b.raw(test)) / 2, rtol=1e-12, atol=1e-12)
    assert len(both.roots) == len(a.roots) + len(b.roots)
    np.testing.assert_array_equal(TreeFusion.mean([a]).raw(test), a.raw(test))
    again = TreeFusion.from_dict(json.loads(json.dumps(both.as_dict())))
    np.testing.assert_array_equal(again.proba(test), both.proba(test))


def test_calibration_error_is_zero_when_stated_probabilities_match_accuracy():
    prob = np.array([0.95] * 20 + [0.25] * 20)
    correct = np.array([True] * 19 + [False] + [True] * 5 + [False] * 15)
    assert calibration_error(prob, correct) < 1e-9
    assert calibration_error(np.array([0.95] * 10), np.array([False] * 10)) > 0.9
