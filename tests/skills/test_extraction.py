"""Skill extraction from free text: spans, the kernel on a hand-made index, the service and the API."""

from __future__ import annotations

import numpy as np
import pytest
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.skills.extraction import candidate_spans, clauses, extract
from apps.skills.normalizer import TaxonomyIndex, tokens
from apps.skills.services import skills_extract
from apps.skills.text import normalize_phrase

from .conftest import URI

JOB = (
    "We are hiring a data engineer. You will manage databases, write SQL and Python programming; "
    "nice to have: lay floor tiles (really)."
)


def test_clauses_and_spans_respect_punctuation_and_stopwords():
    text = "Strong SQL, node.js and C++ skills. Experience with the management of databases"
    parts = [text[s:e].strip() for s, e in clauses(text)]
    assert parts == ["Strong SQL", "node.js and C++ skills", "Experience with the management of databases"]
    spans = {s.text for s in candidate_spans(text)}
    assert {"SQL", "node.js", "C++", "node.js and C++", "management of databases", "databases"} <= spans
    # no span starts or ends with a function word, none crosses a comma or a sentence end
    assert not {s for s in spans if s.split()[0].lower() in {"and", "with", "the", "of", "strong"}}
    assert "SQL, node.js" not in spans and not any("skills. Experience" in s for s in spans)
    for sp in candidate_spans(text):
        assert text[sp.start : sp.end] == sp.text and sp.words <= 6


def _toy_index():
    """Three concepts with orthogonal 'meanings'; the fake encoder maps words to those axes."""
    labels = [
        ("u:sql", ["SQL", "structured query language"]),
        ("u:py", ["Python (computer programming)", "python"]),
        ("u:db", ["manage databases", "database administration"]),
    ]
    axis = {"sql": 0, "query": 0, "python": 1, "programming": 1, "database": 2, "databases": 2, "dba": 2}

    def encode(texts):
        out = np.full((len(texts), 4), 0.05, dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                if w in axis:
                    out[i, axis[w]] += 1.0
            out[i, 3] += 0.3 * len(t.split())  # longer phrases drift away
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    rows = [(i, t) for i, (_, ts) in enumerate(labels) for t in ts]
    starts = [0, 2, 4]
    exact: dict[str, int] = {}
    for i, t in rows:
        exact.setdefault(normalize_phrase(t), i)
    index = TaxonomyIndex(
        skill_ids=np.arange(3),
        uris=[u for u, _ in labels],
        labels=[ts[0] for _, ts in labels],
        seg_starts=np.array(starts),
        label_vecs=encode([t for _, t in rows]),
        label_tokens=[tokens(t) for _, t in rows],
        exact=exact,
    )
    return index, encode


def test_extract_kernel_exact_and_semantic_hits_without_overlap():
    index, encode = _toy_index()
    text = "Must know SQL and python; will administer our dba databases daily."
    found = extract(text, index, encode, top_k=5, min_confidence=0.5)
    by_uri = {f["uri"]: f for f in found}
    assert set(by_uri) == {"u:sql", "u:py", "u:db"}
    assert by_uri["u:sql"]["confidence"] == 1.0 and by_uri["u:sql"]["text"] == "SQL"
    for f in found:
        s, e = f["span"]
        assert text[s:e] == f["text"] and 0 <= f["confidence"] <= 1
    spans = sorted(tuple(f["span"]) for f in found)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert [f["confidence"] for f in found] == sorted((f["confidence"] for f in found), reverse=True)
    assert extract(text, index, encode, top_k=1)[0]["confidence"] == 1.0
    assert extract("", index, encode) == [] and extract("the and of", index, encode) == []


@pytest.mark.django_db
def test_skills_extract_service_on_imported_taxonomy(taxonomy):
    found = skills_extract(text=JOB, top_k=10)
    uris = [f["uri"] for f in found]
    assert {URI + "sql", URI + "py", URI + "db", URI + "tile-install"} <= set(uris)
    assert URI + "tile-maint" not in uris  # a look-alike sibling is not suggested as well
    assert len(uris) == len(set(uris))
    for f in found:
        s, e = f["span"]
        assert JOB[s:e] == f["text"]
        assert set(f) == {"uri", "label", "span", "text", "confidence"}
    sql = next(f for f in found if f["uri"] == URI + "sql")
    assert sql["text"] == "SQL" and sql["confidence"] == 1.0 and sql["label"] == "SQL"


@pytest.mark.django_db
def test_extract_endpoint(taxonomy, org):
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post("/api/v1/skills/extract/", {"text": JOB, "top": 2}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert len(data["skills"]) == 2 and "ESCO classification" in data["attribution"]
    assert {"uri", "label", "span", "text", "confidence"} == set(data["skills"][0])
    response = api.post("/api/v1/skills/extract/", {"top": 0}, format="json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == {"text", "top"}
    empty = api.post("/api/v1/skills/extract/", {"text": ""}, format="json")
    assert empty.status_code == 200 and empty.json()["skills"] == []
