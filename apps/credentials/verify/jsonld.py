"""JSON-LD canonicalization (RDFC-1.0 / URDNA2015 via pyld) over contexts bundled with the project (no Django).

Contexts are loaded only from ``apps/credentials/contexts`` (index.json maps URL → file): a context decides
what a signature covers, so it must never come from the network at verification time.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "contexts"
# Appended to detect terms the document's contexts do not define (they would be silently dropped from
# the canonical form, so a signature would not protect them).
_UNDEFINED_VOCAB = "urn:tsumiki:undefined-term#"


class ContextError(ValueError):
    """A context is not bundled, or the document is not valid JSON-LD."""


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = json.loads((CONTEXT_DIR / "index.json").read_text(encoding="utf-8"))
    return index


@lru_cache(maxsize=64)
def _context_document(url: str) -> str:
    name = _index().get(url) or _index().get(url.rstrip("/"))
    if not name:
        raise ContextError(f"JSON-LD context {url} is not bundled (offline verification only)")
    return (CONTEXT_DIR / name).read_text(encoding="utf-8")


def known_context(url: str) -> bool:
    """Whether the context URL is bundled."""
    return url in _index() or url.rstrip("/") in _index()


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader that serves bundled contexts only."""
    try:
        text = _context_document(url)
    except ContextError as exc:
        raise jsonld.JsonLdError(str(exc), "jsonld.LoadDocumentError", code="loading document failed") from exc
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(text), "contentType": "application/ld+json"}


def _options() -> dict[str, Any]:
    return {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader}


def _explain(exc: Exception) -> str:
    text = str(exc)
    cause = getattr(exc, "cause", None)
    while cause is not None:
        text = str(cause)
        cause = getattr(cause, "cause", None)
    return text.splitlines()[0][:300] if text else exc.__class__.__name__


def canonize(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``; ContextError when it cannot be processed."""
    try:
        return str(jsonld.normalize(copy.deepcopy(document), _options()))
    except Exception as exc:  # pyld raises JsonLdError and, on malformed input, plain exceptions
        raise ContextError(f"JSON-LD processing failed: {_explain(exc)}") from exc


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Properties/types of ``document`` that none of its contexts define (dropped by plain JSON-LD processing)."""
    doc = copy.deepcopy(document)
    ctx = doc.get("@context")
    ctx_list = ctx if isinstance(ctx, list) else ([ctx] if ctx is not None else [])
    doc["@context"] = [*ctx_list, {"@vocab": _UNDEFINED_VOCAB}]
    try:
        expanded = jsonld.expand(doc, {"documentLoader": document_loader})
    except Exception:  # the document will fail canonicalization anyway; that check reports it
        return []
    found: set[str] = set()
    stack: list[Any] = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(_UNDEFINED_VOCAB):
                    found.add(key[len(_UNDEFINED_VOCAB) :])
                if key == "@type":
                    for t in value if isinstance(value, list) else [value]:
                        if isinstance(t, str) and t.startswith(_UNDEFINED_VOCAB):
                            found.add(t[len(_UNDEFINED_VOCAB) :])
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(found)
