"""The stored normalizer fit is the mean of fits on several samples of the taxonomy's labels.

One fit's answers depend on which labels it sampled (and on the last bits of the vectors): on the same
taxonomy and code, dev hard acc@1 moved between 0.778 and 0.817 from one fit to another. The import
averages FIT_BAG of them (apps.skills.normalizer.fit_fusion)."""

from __future__ import annotations

import numpy as np

from apps.skills.fusion import TreeFusion, fit_trees
from apps.skills.models import NormalizerFit
from apps.skills.normalizer import FIT_BAG, training_set
from apps.skills.selectors import taxonomy_index
from apps.skills.services import normalizer_fit, taxonomy_import

from .conftest import write_esco
from .test_vector_cache import FITTED


def test_the_stored_fit_averages_fits_on_several_label_samples(db, tmp_path):
    assert FIT_BAG > 1
    taxonomy_import(root=write_esco(tmp_path / "esco", skills=FITTED))
    fit = normalizer_fit(samples=30)  # fewer labels than the taxonomy has: each sample another subset
    assert fit == NormalizerFit.objects.first()
    index = taxonomy_index(with_fusion=False)
    parts = []
    for seed in range(FIT_BAG):
        x, y, _, _ = training_set(index, samples=30, seed=seed)
        parts.append(fit_trees(x, y))
    stored = TreeFusion.from_dict(fit.params)
    assert len(stored.roots) == sum(len(p.roots) for p in parts)
    assert fit.metrics["bag"] == FIT_BAG
    queries, _, _, _ = training_set(index, seed=FIT_BAG)  # every label, as queries to score
    np.testing.assert_allclose(stored.proba(queries), TreeFusion.mean(parts).proba(queries), rtol=0, atol=1e-12)
    # and not one of them alone
    assert not np.allclose(stored.proba(queries), parts[0].proba(queries), rtol=0, atol=1e-12)
