"""Writes and computations for skills: taxonomy import, normalization, concept resolution."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from . import esco
from .encode_pool import usable_cores
from .models import LabelKind, NormalizerFit, Occupation, OccupationSkill, Phrase, Skill, SkillLabel
from .normalizer import FEATURES, FIT_BAG, FIT_SAMPLES, fit_fusion
from .selectors import label_lookup, taxonomy_index, taxonomy_key, taxonomy_key_forget, usable_fit
from .text import gloss, normalize_phrase
from .vocabulary import (
    aux_model_key,
    aux_spec,
    encode_known,
    model_key,
    phrases_ensure,
    select_in,
    vectors_ensure,
    vectors_ensure_parallel,
    vectors_ensure_with_aux,
)

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    skills_created: int
    skills_updated: int
    labels_created: int
    labels_removed: int
    broader_links: int
    occupations: int
    languages: list[str]
    phrases_embedded: int
    fit_metrics: dict


def _import_workers() -> int:
    """Processes an import embeds and fits with (TSUMIKI_IMPORT_WORKERS; 0: one per usable core)."""
    return settings.TSUMIKI_IMPORT_WORKERS or usable_cores()


def normalizer_fit(*, progress: Progress = lambda msg: None, samples: int = FIT_SAMPLES) -> NormalizerFit | None:
    """Fit the normalizer's fusion on the imported taxonomy (its own alternative labels, each hidden
    in turn) and store it for the current encoder; None when the taxonomy is too small to learn from.
    A fit is a function of the index's contents and the fitting code alone, so one made before for the
    same contents (by any database: the persistent cache beside the vectors) is stored again instead."""
    from .vector_cache import fit_get, fit_put

    index = taxonomy_index(with_fusion=False)
    if index.size < 20:
        return None
    folder = getattr(settings, "TSUMIKI_VECTOR_CACHE", "")
    key = _fit_key(index, samples) if folder else ""
    cached = fit_get(folder, key) if key else None
    if cached is not None:
        params, metrics = cached
        progress(f"normalizer fit of these labels and vectors taken from the cache ({metrics.get('samples')} samples)")
    else:
        fusion, metrics = fit_fusion(
            index,
            samples=samples,
            threads=settings.TSUMIKI_BLAS_THREADS,
            processes=_import_workers(),
        )
        params = {
            **fusion.as_dict(),
            "rules": index.rules.export() if index.rules is not None else None,
            # the fit reads the auxiliary encoder's features: it serves only an index built with it
            "aux": aux_model_key() if index.has_aux else None,
        }
        if key:
            fit_put(folder, key, params, metrics)
    progress(
        f"normalizer fitted on {metrics['samples']} taxonomy labels: held-out acc@1 {metrics['acc1_fused']:.3f} "
        f"(max cosine alone {metrics['acc1_max_cos']:.3f}), Brier {metrics['brier']:.4f}, "
        f"calibration error {metrics['ece_top1']:.3f}, {metrics['rules']} rewrite rules"
    )
    return NormalizerFit.objects.create(model=model_key(), taxonomy_key=taxonomy_key(), metrics=metrics, params=params)


# The code that makes a fit from the index (features, trees, rewrite rules, word splitting): a fit
# cached by another version of it would be read with features computed otherwise than it was trained on.
_FIT_CODE = tuple(
    Path(__file__).with_name(name) for name in ("normalizer.py", "fusion.py", "label_rules.py", "text.py")
)


def _fit_key(index, samples: int) -> str:
    """Everything a fit reads: the label rows (concept segments, words, vectors under both encoders), the
    definitions' vectors, the encoders, the sample size and number of samples averaged (FIT_BAG), the
    features, the source of the code that fits (_FIT_CODE) and the fitting library's version."""
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256()
    for source in _FIT_CODE:
        h.update(source.read_bytes())
    h.update(f"{model_key()}|{aux_model_key() if index.has_aux else ''}|{samples}|{','.join(FEATURES)}|".encode())
    h.update(f"bag {FIT_BAG}|".encode())
    h.update(f"sklearn {version('scikit-learn')}|numpy {np.__version__}|".encode())
    for arr in (index.seg_starts, index.label_vecs, index.gloss_vecs, index.aux_vecs, index.aux_gloss_vecs):
        h.update(b"-" if arr is None else np.ascontiguousarray(arr).tobytes())
    for seq in index.label_seqs or ():
        h.update(("\x1f".join(seq) + "\x1e").encode())
    for toks in index.label_tokens:
        h.update(("\x1f".join(sorted(toks)) + "\x1e").encode())
    return h.hexdigest()


def _bulk_ids(model, field: str, values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(values), 2000):
        out.update(model.objects.filter(**{f"{field}__in": values[i : i + 2000]}).values_list(field, "id"))
    return out


def taxonomy_import(*, root: Path, progress: Progress = lambda msg: None) -> ImportReport:
    """Import (or re-import) an ESCO CSV release below ``root``; idempotent: re-running updates rows
    in place and never duplicates them. Labels are embedded once per distinct phrase."""
    release = esco.read_release(root)
    progress(f"read {len(release.skills)} concepts, languages {', '.join(release.languages)}")
    # Embed first (the slow part) outside the transaction, so the database is never locked for minutes.
    label_rows: list[tuple[str, str, str, str]] = []  # (uri, lang, kind, text)
    for s in release.skills.values():
        for lang, text in s.preferred.items():
            label_rows.append((s.uri, lang, LabelKind.PREFERRED, text))
        for kind, by_lang in ((LabelKind.ALTERNATIVE, s.alternatives), (LabelKind.HIDDEN, s.hidden)):
            for lang, texts in by_lang.items():
                for text in dict.fromkeys(texts):
                    label_rows.append((s.uri, lang, kind, text))
    label_rows = [r for r in label_rows if r[3][:500] and normalize_phrase(r[3])]
    before = Phrase.objects.count()

    def embed_progress(done: int, total: int) -> None:
        progress(f"embedded {done}/{total} new phrases")

    # concept definitions (first sentence) are embedded with the labels, for the normalizer's gloss signal
    glosses = [g for s in release.skills.values() if not s.is_group and (g := gloss(s.description))]
    texts = [r[3][:500] for r in label_rows] + glosses
    workers = _import_workers()
    aux = aux_spec()  # the normalizer's second opinion, embedded beside the primary encoder
    if workers > 1:
        phrase_ids = phrases_ensure(texts=texts, embed=False)
        counts = vectors_ensure_parallel(
            phrase_ids=sorted(set(phrase_ids.values())),
            specs=[None, aux] if aux is not None else [None],
            workers=workers,
            progress=embed_progress,
            cache=True,
        )
        n_main = counts[0]
        aux_note = f", {counts[1]} with the auxiliary encoder {model_key(aux)}" if aux is not None else ""
        progress(f"encoded {n_main} phrases with {model_key()}{aux_note} ({workers} processes)")
    elif aux is not None:
        phrase_ids = phrases_ensure(texts=texts, embed=False)
        n_main, n_aux = vectors_ensure_with_aux(
            phrase_ids=sorted(set(phrase_ids.values())), aux=aux, progress=embed_progress, cache=True
        )
        progress(f"encoded {n_main} phrases with {model_key()}, {n_aux} with the auxiliary encoder {model_key(aux)}")
    else:
        phrase_ids = phrases_ensure(texts=texts, embed=False)
        n_main = vectors_ensure(phrase_ids=sorted(set(phrase_ids.values())), progress=embed_progress, cache=True)
        progress(f"encoded {n_main} phrases with {model_key()}")
    embedded = Phrase.objects.count() - before

    with transaction.atomic():
        existing = {s.uri: s for s in Skill.objects.all()}
        created, updated = [], []
        for s in release.skills.values():
            fields = dict(
                preferred_label=(s.preferred.get("en") or next(iter(s.preferred.values()), s.uri))[:500],
                description=s.description,
                skill_type=s.skill_type,
                reuse_level=s.reuse_level,
                is_group=s.is_group,
            )
            cur = existing.get(s.uri)
            if cur is None:
                created.append(Skill(uri=s.uri, **fields))
            elif any(getattr(cur, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(cur, k, v)
                updated.append(cur)
        Skill.objects.bulk_create(created, batch_size=1000)
        if updated:
            Skill.objects.bulk_update(
                updated, ["preferred_label", "description", "skill_type", "reuse_level", "is_group"], batch_size=1000
            )
        ids = _bulk_ids(Skill, "uri", list(release.skills))
        progress(f"concepts: {len(created)} new, {len(updated)} updated")

        wanted = {(ids[u], lang, kind, text[:500]) for u, lang, kind, text in label_rows}
        imported_ids = set(ids.values())
        have = {
            (sid, lang, kind, text): lid
            for lid, sid, lang, kind, text in SkillLabel.objects.values_list("id", "skill_id", "lang", "kind", "text")
            if sid in imported_ids
        }
        stale = [lid for k, lid in have.items() if k not in wanted]
        for i in range(0, len(stale), 2000):
            SkillLabel.objects.filter(id__in=stale[i : i + 2000]).delete()
        # inserted in file order, English first, so that label ids (which order a concept's labels in the
        # normalizer's index) and everything fitted on them do not depend on set iteration order
        file_order = {(ids[u], lang, kind, text[:500]): i for i, (u, lang, kind, text) in enumerate(label_rows)}
        new_labels = [
            SkillLabel(skill_id=sid, lang=lang, kind=kind, text=text, phrase_id=phrase_ids[normalize_phrase(text)])
            for sid, lang, kind, text in sorted(wanted - set(have), key=lambda k: (k[1] != "en", file_order[k]))
        ]
        SkillLabel.objects.bulk_create(new_labels, batch_size=2000)
        # bulk writes send no signals: the rest of this import reads the new key, and so does every
        # thread of this process once the transaction commits
        taxonomy_key_forget()
        transaction.on_commit(taxonomy_key_forget)
        progress(f"labels: {len(new_labels)} new, {len(stale)} removed")

        through = Skill.broader.through
        want_links = {(ids[a], ids[b]) for a, b in release.broader}
        have_links = set(through.objects.values_list("from_skill_id", "to_skill_id"))
        through.objects.bulk_create(
            [through(from_skill_id=a, to_skill_id=b) for a, b in want_links - have_links], batch_size=2000
        )
        n_occ = 0
        if release.occupations:
            occ_existing = _bulk_ids(Occupation, "uri", [o[0] for o in release.occupations])
            Occupation.objects.bulk_create(
                [
                    Occupation(uri=u, preferred_label=lab[:500], description=d)
                    for u, lab, d in release.occupations
                    if u not in occ_existing
                ],
                batch_size=1000,
            )
            occ_ids = _bulk_ids(Occupation, "uri", [o[0] for o in release.occupations])
            have_os = set(OccupationSkill.objects.values_list("occupation_id", "skill_id"))
            pairs = {(o, s): rel for o, s, rel in release.occupation_skills}
            OccupationSkill.objects.bulk_create(
                [
                    OccupationSkill(occupation_id=occ_ids[o], skill_id=ids[s], relation=rel)
                    for (o, s), rel in pairs.items()
                    if o in occ_ids and (occ_ids[o], ids[s]) not in have_os
                ],
                batch_size=2000,
            )
            n_occ = len(occ_ids)
    # the fit reads the labels, their vectors and the definitions: a release imported again unchanged
    # keeps the fit it has (refitting is most of a re-import's time and gives the same model)
    unchanged = not (created or updated or new_labels or stale)
    fit = usable_fit(key=taxonomy_key()) if unchanged else None
    if fit is not None:
        progress("labels and definitions unchanged: the normalizer's fit is kept")
    else:
        fit = normalizer_fit(progress=progress)
    if fit is not None and settings.TSUMIKI_INDEX_SNAPSHOTS:
        # the first process to need the label index after an import (a `rank`, a worker) maps it instead of
        # spending seconds reading it from the database (apps.skills.index_snapshot)
        taxonomy_index()
        progress("label index stored for the next processes")
    resolved = labels_resolve()
    if resolved:
        progress(f"{resolved} label phrases resolved to their concepts")
    return ImportReport(
        fit_metrics=fit.metrics if fit else {},
        skills_created=len(created),
        skills_updated=len(updated),
        labels_created=len(new_labels),
        labels_removed=len(stale),
        broader_links=len(want_links),
        occupations=n_occ,
        languages=release.languages,
        phrases_embedded=embedded,
    )


@dataclass
class Match:
    uri: str
    label: str
    score: float
    skill_id: int  # the taxonomy concept; for an organization's own skill, the concept it maps to (or 0)
    source: str = "esco"  # "esco", or "organization" for one of the organization's own skills
    org_skill_id: int | None = None
    concept_uri: str | None = None  # an own skill's mapped ESCO concept


def normalize(*, texts: Sequence[str], top_k: int = 5, organization=None) -> list[list[Match]]:
    """Top taxonomy concepts for each text, in input order (used by normalize_skills, the API and
    the job editor). With ``organization``, that organization's own skills are answers too
    (apps.skills.org_skills.own_skills_match), merged by score, an own skill first on a tie; no other
    organization's skills are ever read."""
    from .org_skills import own_skills_match

    index = taxonomy_index()
    keys = [normalize_phrase(t) for t in texts]
    own = own_skills_match(organization=organization, texts=texts, top_k=top_k)
    if index.size == 0 and not any(own):
        return [[] for _ in texts]
    nonempty = [k for k in keys if k]
    by_key: dict = {}
    if index.size and nonempty:
        # a query that is a label takes the index's stored vector; others are encoded (or cached)
        rows = index.phrase_rows
        vecs = encode_known(nonempty, known_rows=rows, known_vecs=index.label_vecs)
        aux = None
        if index.has_aux:
            aux = encode_known(nonempty, spec=aux_spec(), known_rows=rows, known_vecs=index.aux_vecs)
        by_key = dict(zip(nonempty, index.search(nonempty, vecs, top_k, query_aux=aux), strict=True))
    concept_ids = (
        dict(
            Skill.objects.filter(uri__in={m.concept_uri for o in own for m in o if m.concept_uri}).values_list(
                "uri", "id"
            )
        )
        if any(own)
        else {}
    )
    out = []
    for k, mine in zip(keys, own, strict=True):
        esco = [
            Match(index.uris[c], index.labels[c], round(s, 4), int(index.skill_ids[c])) for c, s in by_key.get(k, [])
        ]
        ours = [
            Match(
                m.uri,
                m.label,
                m.score,
                concept_ids.get(m.concept_uri or "", 0),
                source="organization",
                org_skill_id=m.org_skill_id,
                concept_uri=m.concept_uri,
            )
            for m in mine
        ]
        merged = sorted([*ours, *esco], key=lambda m: (-m.score, m.source != "organization"))
        out.append(merged[:top_k])
    return out


# A phrase resolves to a concept when it is a label of it, or when the fused normalizer gives its best
# concept at least this probability (max cosine alone when no fit is stored).
RESOLVE_MIN_PROBABILITY = 0.6
RESOLVE_MIN_COSINE = 0.92


def resolution_key(*, tkey: str | None = None) -> str:
    """What a stored phrase resolution depends on: the encoders, the taxonomy and the fit that judged it
    (a new fit, e.g. after import_esco with the auxiliary encoder turned on, resolves phrases again).
    ``tkey``: the current taxonomy_key, when the caller has it."""
    tkey = tkey or taxonomy_key()
    fit = usable_fit(key=tkey)
    return f"{model_key()}|{aux_model_key() or ''}|{tkey}|{fit.id if fit else 0}"[:120]


def phrases_resolve(*, phrase_ids: Sequence[int]) -> dict[int, int]:
    """{phrase id: skill id} for the phrases that resolve confidently to one taxonomy concept.

    Each phrase is resolved once per taxonomy and encoder and the answer is stored on the phrase,
    so a pool's phrases cost nothing the second time. A phrase that is a label (or differs from one only
    in punctuation, and no other concept has a label like it) is looked up, without the encoders or the
    label index; the others are searched, all at once."""
    ids = sorted({int(i) for i in phrase_ids})
    if not ids or not SkillLabel.objects.exists():
        return {}  # no taxonomy imported: nothing to resolve against
    tkey = taxonomy_key()
    key = resolution_key(tkey=tkey)
    out: dict[int, int] = {}
    todo: dict[int, str] = {}
    for pid, text, concept, rkey in _phrase_rows(ids):
        if rkey == key:
            if concept is not None:
                out[pid] = concept
        else:
            todo[pid] = text
    if not todo:
        return out
    # A phrase that is a label is certain (the search would rank that concept first at full score), so
    # labels are looked up: at pool scale most phrases are labels, and loading the encoders and the index
    # for them is what made the first run over a large pool slow.
    lookup = label_lookup(key=tkey)
    found: list[tuple[int, int | None]] = []
    for pid, text in list(todo.items()):
        concept = lookup.concept_of(text)
        if concept is not None:
            out[pid] = concept
            found.append((pid, concept))
            del todo[pid]
    if todo:
        searched = _search_resolve(todo)
        out.update((pid, c) for pid, c in searched if c is not None)
        found += searched
    _store_resolutions(found, key)
    return out


def labels_resolve() -> int:
    """Resolve every phrase that is a label of a concept, as :func:`phrases_resolve` would on first use
    (by lookup: no encoder, no index), and store the answers under the current resolution key. The
    import does this once, so that the first match run or ``rank`` over a pool of taxonomy labels finds
    them resolved instead of reading every label to look them up. Returns how many phrases were new to
    the key."""
    ids = sorted(set(SkillLabel.objects.filter(skill__is_group=False).values_list("phrase_id", flat=True)))
    if not ids:
        return 0
    key = resolution_key()
    stale = [pid for pid, _text, _concept, rkey in _phrase_rows(ids) if rkey != key]
    if stale:
        phrases_resolve(phrase_ids=stale)
    return len(stale)


def _phrase_rows(ids: Sequence[int]) -> list[tuple[int, str, int | None, str]]:
    """(id, text, concept id, resolution key) of the phrases among ``ids`` (a pool has up to hundreds of
    thousands)."""
    table = connection.ops.quote_name(Phrase._meta.db_table)
    sql = f"SELECT id, text, concept_id, resolved_key FROM {table} WHERE id IN ({{marks}})"  # noqa: S608
    return list(select_in(sql, (), ids))


def _search_resolve(todo: dict[int, str]) -> list[tuple[int, int | None]]:
    """(phrase id, concept id or None) for phrases that are no label: the normalizer's best concept when
    it is confident enough (RESOLVE_MIN_PROBABILITY, or RESOLVE_MIN_COSINE without a fit)."""
    from .vocabulary import phrase_vectors

    pids = list(todo)
    index = taxonomy_index()
    if index.size == 0:
        return [(pid, None) for pid in pids]
    vecs = phrase_vectors(phrase_ids=pids)
    threshold = RESOLVE_MIN_PROBABILITY if index.fusion is not None else RESOLVE_MIN_COSINE
    aux = phrase_vectors(phrase_ids=pids, spec=aux_spec()) if index.has_aux else None
    hits = index.search([normalize_phrase(todo[p]) for p in pids], vecs, top_k=1, query_aux=aux)
    return [
        (pid, int(index.skill_ids[hit[0][0]]) if hit and hit[0][1] >= threshold else None)
        for pid, hit in zip(pids, hits, strict=True)
    ]


def _store_resolutions(found: Sequence[tuple[int, int | None]], key: str) -> None:
    """Store each phrase's concept (or none) under resolution ``key``: one statement per batch of
    phrases (PostgreSQL: arrays joined with unnest; others: one prepared UPDATE run over the batch)."""
    if not found:
        return
    table = connection.ops.quote_name(Phrase._meta.db_table)
    with transaction.atomic(), connection.cursor() as cur:
        for i in range(0, len(found), 10_000):
            batch = found[i : i + 10_000]
            if connection.vendor == "postgresql":
                cur.execute(
                    f"UPDATE {table} AS p SET concept_id = v.c, resolved_key = %s "  # noqa: S608
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, c) WHERE p.id = v.id",
                    [key, [pid for pid, _ in batch], [c for _, c in batch]],
                )
            else:
                cur.executemany(
                    f"UPDATE {table} SET concept_id = %s, resolved_key = %s WHERE id = %s",  # noqa: S608
                    [(c, key, pid) for pid, c in batch],
                )


def skills_extract(
    *, text: str, top_k: int = 10, min_confidence: float = 0.0, suggested_only: bool = False
) -> list[dict]:
    """Taxonomy skills mentioned or implied in free text (a job description, a CV section, a credential's
    criteria), ranked best first, one entry per concept: ``[{"uri", "label", "span": [start, end], "text",
    "confidence", "suggested", "implied", "optional", "negated"}]`` (apps.skills.extraction; used by POST
    /api/v1/skills/extract/). ``suggested_only`` keeps what the job editor shows by default: confident,
    not negated."""
    (found,) = skills_extract_many(
        texts=[text], top_k=top_k, min_confidence=min_confidence, suggested_only=suggested_only
    )
    return found


def skills_extract_many(
    *, texts: Sequence[str], top_k: int = 10, min_confidence: float = 0.0, suggested_only: bool = False
) -> list[list[dict]]:
    """:func:`skills_extract` of each of ``texts``, in order, read together (apps.skills.extraction.
    extract_many: one pass over the label index for all of them): a CV's list items, for one."""
    from .extraction import extract_many
    from .selectors import skill_prior

    index = taxonomy_index()
    if index.size == 0:
        return [[] for _ in texts]
    # the text's phrases that are labels take the index's stored vectors; the rest are encoded (or cached)
    primary = partial(encode_known, known_rows=index.phrase_rows, known_vecs=index.label_vecs)
    aux = (
        partial(encode_known, spec=aux_spec(), known_rows=index.phrase_rows, known_vecs=index.aux_vecs)
        if index.has_aux
        else None
    )
    found = extract_many(
        list(texts),
        index,
        primary,
        top_k=top_k if not suggested_only else max(top_k, 50),
        min_confidence=min_confidence,
        aux_encode=aux,
        prior=skill_prior(index),
    )
    if suggested_only:
        found = [[f for f in one if f["suggested"]][:top_k] for one in found]
    return found
