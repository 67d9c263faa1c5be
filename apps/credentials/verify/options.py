"""Settings of one verification run (no Django): where documents come from, which keys are trusted, when 'now' is."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .safeload import DEFAULT_MAX_BYTES, InputError, load_json_text


@dataclass
class VerifyOptions:
    """``documents`` maps a URL (or a URL prefix ending in '/') to a local JSON file: DID documents, status lists,
    OB 2.0 BadgeClass/Issuer/CryptographicKey/RevocationList. ``allow_network`` lets the verifier read what is
    not mapped over HTTPS with ``timeout`` seconds (production); tests and the fixture table run offline."""

    documents: Mapping[str, str | Path] = field(default_factory=dict)
    registered_keys: Mapping[str, Any] = field(default_factory=dict)  # verificationMethod id → JWK / PEM / multikey
    allow_network: bool = False
    timeout: float = 3.0
    max_bytes: int = DEFAULT_MAX_BYTES
    now: datetime | None = None
    # A key that the credential itself carries (JWK in a JOSE header, multikey in the issuer URL fragment) proves
    # integrity, and the issuer check ties it to the issuer URL; strict operators can refuse that as 'verified'.
    trust_embedded_keys: bool = True
    fetcher: Callable[[str], Any] | None = None  # injected in tests

    def current_time(self) -> datetime:
        return self.now or datetime.now(UTC)

    def resolve(self, url: str) -> Any:
        """The JSON document at ``url`` (local map first), or None when it is not available."""
        if not isinstance(url, str) or not url:
            return None
        path = self._local(url)
        if path is not None:
            try:
                data = Path(path).read_bytes()
                if len(data) > self.max_bytes:
                    return None
                return load_json_text(data.decode("utf-8-sig"))
            except (OSError, UnicodeDecodeError, InputError):
                return None
        if self.fetcher is not None:
            return self.fetcher(url)
        if self.allow_network and url.startswith("https://"):
            return _fetch(url, timeout=self.timeout, max_bytes=self.max_bytes)
        return None

    def _local(self, url: str) -> str | Path | None:
        key = url.split("#", 1)[0]
        for candidate in (key, key.rstrip("/")):
            if candidate in self.documents:
                return self.documents[candidate]
        for prefix, folder in self.documents.items():
            if prefix.endswith("/") and key.startswith(prefix):
                rest = key[len(prefix) :]
                if ".." in rest.split("/"):
                    return None
                base = Path(folder) / rest
                for p in (base, base.with_name(base.name + ".json")):
                    if p.is_file():
                        return p
        return None


def _fetch(url: str, *, timeout: float, max_bytes: int) -> Any:
    """GET a JSON document with a short timeout and a size cap; None on any failure (reported as 'not checked')."""
    try:
        if not url.startswith("https://"):
            return None
        req = urllib.request.Request(  # noqa: S310  https only, checked above
            url, headers={"Accept": "application/json, application/ld+json"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310  https only, checked above
            body = resp.read(max_bytes + 1)
        if len(body) > max_bytes:
            return None
        return load_json_text(body.decode("utf-8-sig"))
    except Exception:  # network errors of every kind mean "not available", never a crash
        return None


def load_documents_map(path: str | Path) -> dict[str, str]:
    """Read a documents map file ({URL or prefix: path}); relative paths are taken from the map's folder."""
    base = Path(path).resolve().parent
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: str((base / v).resolve()) for k, v in raw.items() if not k.startswith("_")}
