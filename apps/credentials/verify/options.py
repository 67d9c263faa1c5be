"""Settings of one verification run (no Django): where documents come from, which keys are trusted, when 'now' is."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .safeload import DEFAULT_MAX_BYTES, InputError, load_json_text


@dataclass
class VerifyOptions:
    """``documents`` maps a URL (or a URL prefix ending in '/') to a local JSON file: DID documents, status lists,
    OB 2.0 BadgeClass/Issuer/CryptographicKey/RevocationList, issuer profiles. What is not mapped is read with
    ``fetcher`` (URL → JSON or None): the product passes the SSRF-safe fetcher (apps.api.fetcher) when its
    network use is on; without one the verifier runs offline (tests, the fixture table)."""

    documents: Mapping[str, str | Path] = field(default_factory=dict)
    registered_keys: Mapping[str, Any] = field(default_factory=dict)  # verificationMethod id → JWK / PEM / multikey
    max_bytes: int = DEFAULT_MAX_BYTES
    now: datetime | None = None
    fetcher: Callable[[str], Any] | None = None

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
        if self.fetcher is not None and url.startswith("https://"):
            return self.fetcher(url)
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


def load_documents_map(path: str | Path) -> dict[str, str]:
    """Read a documents map file ({URL or prefix: path}); relative paths are taken from the map's folder."""
    base = Path(path).resolve().parent
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: str((base / v).resolve()) for k, v in raw.items() if not k.startswith("_")}
