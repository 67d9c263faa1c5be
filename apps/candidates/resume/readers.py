"""CV files to text (no Django): format sniffing, PDF (layout mode, columns split), DOCX (tables in
reading order), plain text, and JSON (JSON Resume, HR Open LER-RS).

Every limit is checked before a library sees the bytes, and every library failure is turned into
``ResumeError`` with a message a person can act on; callers report it, they never crash on it.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

from apps.core.inputs import InputError, check_nesting

# The same size limit as a credential upload (CREDENTIALS_MAX_UPLOAD_BYTES): a CV is a few pages.
MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 20  # a CV longer than this is read only so far (and says so)
MAX_SECONDS = 10.0  # wall time for reading one file's text; checked between pages
MAX_TEXT_CHARS = 100_000
MAX_DOCX_INFLATED = 50 * 1024 * 1024  # a DOCX is a zip: refuse decompression bombs before opening it
MAX_JSON_DEPTH = 32

NO_TEXT_LAYER = "this PDF has no text layer (scanned?)"


class ResumeError(ValueError):
    """The file cannot be read as a CV at all (the message says why)."""


@dataclass
class Document:
    """What a reader found: the format, the plain text (for text formats) or the parsed JSON."""

    format: str  # pdf | docx | txt | json-resume | ler-rs
    text: str = ""
    data: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)  # limits that cut the reading short


def sniff(data: bytes, filename: str = "") -> str:
    """The format of ``data``: pdf | docx | json | txt, or "" for bytes that are none of them."""
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "docx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    if _looks_like_text(data):
        return "txt"
    return ""


def _looks_like_text(data: bytes) -> bool:
    """True for UTF-8 (or UTF-16 with a BOM) text with few control characters."""
    try:
        text = _decode(data)
    except ResumeError:
        return False
    if not text.strip():
        return False
    sample = text[:4000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad <= len(sample) * 0.01


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ResumeError("the file is not readable text (bad UTF-16)") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ResumeError("the file is not UTF-8 text, PDF, DOCX or JSON") from exc


def read(data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a CV file's bytes; ``ResumeError`` when it cannot be read at all."""
    if len(data) > max_bytes:
        raise ResumeError(f"file is {len(data)} bytes, over the {max_bytes}-byte limit; refused")
    if not data.strip():
        raise ResumeError("the file is empty")
    kind = sniff(data, filename)
    if kind == "pdf":
        return read_pdf(data)
    if kind == "docx":
        return read_docx(data)
    if kind == "json":
        return read_json(data)
    if kind == "txt":
        return Document("txt", _clip(_decode(data)))
    raise ResumeError("unreadable file: not a PDF, DOCX, JSON or UTF-8 text file")


def _clip(text: str, notes: list[str] | None = None) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > MAX_TEXT_CHARS:
        if notes is not None:
            notes.append(f"only the first {MAX_TEXT_CHARS} characters were read")
        text = text[:MAX_TEXT_CHARS]
    return text


# --- PDF -------------------------------------------------------------------------------------------


def read_pdf(data: bytes) -> Document:
    """Text of a PDF in reading order. pypdf's layout mode keeps each line's words at their positions,
    so a two-column page comes out as two columns side by side; ``split_columns`` then reads the left
    column before the right one. Tables keep their rows on one line."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise ResumeError("PDF support is not installed") from exc
    started = time.monotonic()
    notes: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ResumeError("the PDF is password-protected")
            except (NotImplementedError, PyPdfError) as exc:
                raise ResumeError("the PDF is password-protected") from exc
        total = len(reader.pages)
    except ResumeError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; all mean "cannot read it"
        raise ResumeError(f"unreadable PDF ({type(exc).__name__})") from exc
    if total > MAX_PAGES:
        notes.append(f"only the first {MAX_PAGES} of {total} pages were read")
    pages: list[str] = []
    for i in range(min(total, MAX_PAGES)):
        if time.monotonic() - started > MAX_SECONDS:
            notes.append(f"reading stopped after {i} pages: over the {MAX_SECONDS:g}-second limit")
            break
        try:
            page = reader.pages[i]
            try:
                raw = page.extract_text(extraction_mode="layout")
            except Exception:  # layout mode fails on some fonts; the plain mode still gives the words
                raw = page.extract_text()
        except Exception as exc:
            notes.append(f"page {i + 1} could not be read ({type(exc).__name__})")
            continue
        pages.append(split_columns(raw or ""))
    text = _clip("\n\n".join(pages), notes)
    if not text.strip():
        raise ResumeError(NO_TEXT_LAYER)
    return Document("pdf", text, notes=notes)


_GUTTER = re.compile(r" {3,}")


def _crosses(line: str, col: int) -> bool:
    """True when ``line`` has text at ``col``: a character, or a gap of fewer than 3 spaces between words."""
    if col >= len(line):
        return False
    if line[col] != " ":
        return True
    run = (len(line[:col]) - len(line[:col].rstrip(" "))) + (len(line[col:]) - len(line[col:].lstrip(" ")))
    return run < 3


def split_columns(page: str) -> str:
    """Read a layout-mode page column by column where it has two: find a gutter (a character position
    that most lines leave blank, inside a run of 3+ spaces or past the line's end, with text on both
    sides on many lines), then print each run of lines that stay clear of it left column first. Lines
    that cross it (a name or a rule across the page) stay where they are. A table (cells separated by
    further wide gaps) is no pair of columns and stays row by row."""
    lines = join_wrapped_cells([ln.rstrip() for ln in page.split("\n")])
    text_lines = [ln for ln in lines if ln.strip()]
    if len(text_lines) < 6:
        return _squeeze("\n".join(lines))
    width = max(len(ln) for ln in text_lines)
    best, best_both = -1, 0
    for col in range(12, width - 8):
        both = misses = 0
        for ln in text_lines:
            if _crosses(ln, col):
                misses += 1
                continue
            if ln[:col].strip() and ln[col:].strip():
                both += 1
        if misses <= len(text_lines) * 0.3 and both > best_both:
            best, best_both = col, both
    if best < 0 or best_both < max(3, len(text_lines) // 5):
        return _squeeze("\n".join(lines))
    both_lines = [ln for ln in text_lines if not _crosses(ln, best) and ln[:best].strip() and ln[best:].strip()]
    tabular = sum(1 for ln in both_lines if _GUTTER.search(ln[:best].strip()) or _GUTTER.search(ln[best:].strip()))
    if tabular > len(both_lines) / 2:
        return _squeeze("\n".join(lines))
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            out.append("\n".join(ln[:best].strip() for ln in block))
            right = "\n".join(ln[best:].strip() for ln in block)
            if right.strip():
                out.extend(["", right])
            block.clear()

    for ln in lines:
        if _crosses(ln, best):
            flush()
            out.append(ln)
        else:
            block.append(ln)
    flush()
    return _squeeze("\n".join(out))


def _cells(line: str) -> list[tuple[int, str]]:
    """(column, text) of each cell of a layout-mode line: runs of text between gaps of 3+ spaces."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: {1,2}\S+)*", line)]


def join_wrapped_cells(lines: list[str]) -> list[str]:
    """Table rows with the lines of their wrapped cells put back together. In layout mode a cell that
    wraps prints each of its lines on a line of its own, at the cell's column, and the row's other
    cells sit on one line among them: on the first of them when the table aligns cells to the top, in
    the middle when it centres them. Such a row comes back as its line of short cells followed by each
    wrapped cell's text on one line, so that a duty cut over three lines reads as one sentence under
    the row's dates, title and employer.

    A table row is a line of three or more cells; a wrapped-cell line has one cell only, away from the
    page's left edge, at the column of a cell of some row. A table centres its cells when a row's line
    has no cell at the column of a wrapped line just above it; then the wrapped lines between two rows
    are shared out, the upper row keeping as many below its line as it had above it. Otherwise a row's
    wrapped lines are those under it."""
    rows = [i for i, ln in enumerate(lines) if len(_cells(ln)) >= 3]
    if len(rows) < 2:
        return lines
    columns = sorted({c for r in rows for c, _ in _cells(lines[r])})

    def column_of(i: int) -> int | None:
        cells = _cells(lines[i])
        if len(cells) != 1 or cells[0][0] < 12:
            return None
        return next((c for c in columns if abs(cells[0][0] - c) <= 2), None)

    def has_cell(r: int, col: int) -> bool:
        return any(abs(c - col) <= 2 for c, _ in _cells(lines[r]))

    # the wrapped lines between consecutive rows (None: something else stands between them)
    prev_row = [-1, *rows[:-1]]
    gaps: list[list[int] | None] = []
    for before, r in zip(prev_row, rows, strict=True):
        gap = [i for i in range(before + 1, r) if lines[i].strip()]
        if before < 0:  # above the first row: the wrapped lines just above it
            tail: list[int] = []
            for i in reversed(gap):
                if column_of(i) is None:
                    break
                tail.insert(0, i)
            gaps.append(tail)
        else:
            gaps.append(gap if all(column_of(i) is not None for i in gap) else None)
    after: list[int] = []
    for i in range(rows[-1] + 1, len(lines)):
        if not lines[i].strip():
            continue
        if column_of(i) is None:
            break
        after.append(i)

    def assign(centred: bool) -> tuple[dict[int, int], dict[int, int]]:
        """(wrapped line -> its row, row -> how many of its wrapped lines sit above its own line)."""
        owner: dict[int, int] = {}
        above: dict[int, int] = {}
        for n, r in enumerate(rows):
            gap = gaps[n] or []
            if n and gaps[n] is not None:
                keep = min(len(gap), above.get(rows[n - 1], 0)) if centred else len(gap)
                for i in gap[:keep]:
                    owner[i] = rows[n - 1]
                for i in gap[keep:]:
                    owner[i] = r
                above[r] = len(gap) - keep
            elif centred:
                for i in gap:
                    owner[i] = r
                above[r] = len(gap)
        for i in after:
            owner[i] = rows[-1]
        return owner, above

    def breaks(owner: dict[int, int]) -> int:
        """Cells that would begin in the middle of a sentence (their first line in lower case)."""
        first: dict[tuple[int, int], tuple[int, str]] = {}
        for i in sorted(owner):
            key = (owner[i], column_of(i) or 0)
            if key not in first or i < first[key][0]:
                first[key] = (i, _cells(lines[i])[0][1])
        for (r, col), (i, _) in list(first.items()):
            own = next((t for c, t in _cells(lines[r]) if abs(c - col) <= 2), None)
            if own is not None and r < i:
                first[(r, col)] = (r, own)
        return sum(1 for _, text in first.values() if text[:1].islower())

    # a table centres its cells or aligns them to the top: the reading that cuts fewer sentences wins,
    # and on a tie, centring when a row's line has no cell at the column of the wrapped line above it
    tie = any(
        gap and not has_cell(r, c) for r, gap in zip(rows, gaps, strict=True) if gap for c in [column_of(gap[-1])] if c
    )
    readings = {c: assign(c) for c in (True, False)}
    cuts = {c: breaks(readings[c][0]) for c in (True, False)}
    centred = tie if cuts[True] == cuts[False] else cuts[True] < cuts[False]
    owner, above = readings[centred]
    if not owner:
        return lines
    by_row: dict[int, dict[int, list[str]]] = {}
    for i in sorted(owner):
        col = column_of(i)
        assert col is not None
        by_row.setdefault(owner[i], {}).setdefault(col, []).append(_cells(lines[i])[0][1])
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i in owner:
            continue
        if i not in by_row:
            out.append(ln)
            continue
        merged = by_row[i]
        kept = []
        for c, text in _cells(ln):
            near = next((col for col in merged if abs(col - c) <= 2), None)
            if near is None:
                kept.append(text)
            else:  # the row's own line holds a line of that cell, after those above it
                ups = sum(1 for j, r in owner.items() if r == i and j < i and column_of(j) == near)
                merged[near].insert(ups, text)
        out.append("   ".join(kept))
        out.extend(" ".join(parts) for _, parts in sorted(merged.items()))
    return out


def _squeeze(text: str) -> str:
    """Runs of blank lines to one; inner runs of spaces (layout padding) to three."""
    text = re.sub(r"\n\s*\n(\s*\n)*", "\n\n", text)
    return "\n".join(_GUTTER.sub("   ", ln.strip()) for ln in text.split("\n")).strip()


# --- DOCX ------------------------------------------------------------------------------------------


def read_docx(data: bytes) -> Document:
    """Paragraphs and tables of a DOCX body in document order. A table row whose cells are short
    single lines reads as one line (cells joined by " | "); other cells read one after another."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if "word/document.xml" not in names:
                raise ResumeError("unreadable file: a ZIP archive but not a DOCX document")
            inflated = sum(i.file_size for i in zf.infolist())
            if inflated > MAX_DOCX_INFLATED:
                raise ResumeError("the DOCX inflates beyond the limit (decompression bomb); refused")
    except zipfile.BadZipFile as exc:
        raise ResumeError("unreadable DOCX (damaged ZIP archive)") from exc
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise ResumeError("DOCX support is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        out: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                out.append(Paragraph(child, document).text)
            elif tag == "tbl":
                out.extend(_table_lines(Table(child, document)))
    except ResumeError:
        raise
    except Exception as exc:  # lxml / python-docx errors on a damaged part
        raise ResumeError(f"unreadable DOCX ({type(exc).__name__})") from exc
    notes: list[str] = []
    text = _clip("\n".join(out), notes)
    if not text.strip():
        raise ResumeError("the DOCX holds no text")
    return Document("docx", text, notes=notes)


def _table_lines(table: Any) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in [c._tc for c in cells]:  # a merged cell repeats across the row
                continue
            cells.append(cell)
        texts = [c.text.strip() for c in cells]
        if all("\n" not in t and len(t) <= 60 for t in texts):
            line = " | ".join(t for t in texts if t)
            if line:
                lines.append(line)
            continue
        for c in cells:
            for p in c.paragraphs:
                lines.append(p.text)
            for inner in c.tables:
                lines.extend(_table_lines(inner))
            lines.append("")
    return lines


# --- JSON ------------------------------------------------------------------------------------------


def read_json(data: bytes) -> Document:
    """A JSON Resume (schema v1) or an HR Open LER-RS document (bare, or as a verifiable credential's
    subject)."""
    text = _decode(data)
    try:
        check_nesting(text, MAX_JSON_DEPTH)
    except InputError as exc:
        raise ResumeError(str(exc)) from None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ResumeError(f"invalid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ResumeError("JSON CV must be an object (JSON Resume or LER-RS)")
    kind = json_kind(value)
    if kind == "ler-rs":
        subject = value.get("credentialSubject")
        if isinstance(subject, dict) and _ler_like(subject):
            value = subject
        return Document("ler-rs", data=value)
    if kind == "json-resume":
        return Document("json-resume", data=value)
    raise ResumeError("JSON but neither a JSON Resume nor an LER-RS document")


def _ler_like(obj: dict[str, Any]) -> bool:
    kind = obj.get("type")
    if isinstance(kind, str) and "ler-rs" in kind.lower():
        return True
    return any(k in obj for k in ("employmentHistories", "educationAndLearnings", "person")) and "basics" not in obj


def json_kind(value: dict[str, Any]) -> str:
    """ "ler-rs", "json-resume" or ""."""
    subject = value.get("credentialSubject")
    if _ler_like(value) or (isinstance(subject, dict) and _ler_like(subject)):
        return "ler-rs"
    schema = value.get("$schema")
    if isinstance(value.get("basics"), dict) or (isinstance(schema, str) and "jsonresume" in schema):
        return "json-resume"
    if any(isinstance(value.get(k), list) for k in ("work", "skills", "education", "certificates")):
        return "json-resume"
    return ""
