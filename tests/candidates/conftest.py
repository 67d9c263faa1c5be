from __future__ import annotations

import pytest

from tests.skills.conftest import URI, write_esco

# A small taxonomy holding the skills the generated CVs name (and a few they do not).
CV_SKILLS = [
    ("py", "Python (computer programming)", ["Python", "python programming"], None),
    ("sql", "SQL", ["structured query language"], None),
    ("tableau", "Tableau", ["tableau software"], None),
    ("da", "data analysis", ["analyse data"], None),
    ("ml", "machine learning", [], None),
    ("en", "English", ["communicate in English"], None),
    ("tile", "install tile flooring", ["lay floor tiles"], None),
    ("nurse", "administer medication", ["give medicines to patients"], None),
]


@pytest.fixture
def cv_taxonomy(db, tmp_path):
    from apps.skills.services import taxonomy_import

    return taxonomy_import(root=write_esco(tmp_path / "esco", skills=CV_SKILLS))


__all__ = ["URI", "CV_SKILLS"]
