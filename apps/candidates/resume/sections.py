"""The structure of a CV's text (no Django): section headings (English and Japanese), contact details,
dated entries (experience, education) and certification lines.

Offsets are kept throughout: every section, entry and line knows where it sits in the document's text,
so a skill found inside it can point at its span.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Heading words → section. "other" sections (interests, references, …) are never read for skills:
# hobbies are not evidence.
HEADINGS: dict[str, str] = {}
for _section, _words in {
    "summary": """summary;professional summary;profile;professional profile;about;about me;objective;career objective;
        personal statement;overview;career summary;executive summary;introduction;highlights;
        職務要約;自己pr;自己紹介;概要;プロフィール;職務概要""",
    "experience": """experience;work experience;professional experience;employment;employment history;work history;
        career history;career;professional background;relevant experience;positions held;experience and projects;
        projects;selected projects;key projects;volunteering;volunteer experience;internships;職歴;職務経歴;経歴;
        職務経歴書;業務経歴;プロジェクト;プロジェクト経験;実務経験""",
    "education": """education;education and training;academic background;academic qualifications;qualifications and
        education;studies;training;courses;coursework;学歴;教育;学歴・職歴""",
    "certifications": """certifications;certification;certificates;certificate;licenses;licences;licenses and
        certifications;licences and certifications;certifications and licenses;accreditations;badges;
        credentials;professional certifications;awards and certifications;資格;免許;免許・資格;資格・免許;保有資格;
        取得資格;認定""",
    "skills": """skills;key skills;technical skills;core skills;core competencies;competencies;skills and
        competencies;skills summary;areas of expertise;expertise;technologies;tools;tools and technologies;
        technical expertise;it skills;computer skills;languages;language skills;programming languages;
        soft skills;strengths;
        スキル;技術;保有スキル;技術スキル;得意分野;語学;言語;テクニカルスキル;活かせる経験・知識・技術""",
    "other": """interests;hobbies;hobbies and interests;references;referees;publications;personal details;
        personal information;contact;contact details;awards;honours;honors;achievements;memberships;趣味;
        連絡先;個人情報;受賞歴;賞罰""",
}.items():
    for _w in _words.split(";"):
        HEADINGS[" ".join(_w.split())] = _section

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ]
    )
    for m in names.split()
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PRESENT_RE = r"(?:present|current|now|today|ongoing|date|現在|至現在|継続中|在職中)"
# One date: "Jan 2019", "January 2019", "01/2019", "2019-01", "2019.01", "2019年4月", "2019".
_DATE_RE = (
    rf"(?:{_MONTH_RE}\s+(?:19|20)\d\d|(?:0?[1-9]|1[0-2])[/.](?:19|20)\d\d|(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])(?!\d)"
    rf"|(?:19|20)\d\d\s*年\s*(?:\d{{1,2}}\s*月)?|(?:19|20)\d\d)"
)
_RANGE = re.compile(
    rf"(?P<start>{_DATE_RE})\s*(?:-|–|—|~|～|〜|to|until|till|→)\s*(?P<end>{_DATE_RE}|{_PRESENT_RE})",
    re.IGNORECASE,
)
_SINGLE_DATE = re.compile(rf"(?<!\d)(?P<d>{_DATE_RE})(?!\d)", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.-]{6,16}\d(?![\w/])")
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+[^\s<>()\"'.,;:]", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-–—*•·▪●■◦>]|\d{1,2}[.)])\s+")
_ORG_WORDS = re.compile(
    r"\b(?:inc|ltd|llc|gmbh|corp|corporation|co|company|plc|ag|sa|bv|kk|group|university|college|school|institute|"
    r"hospital|bank|agency|council|ministry|department|foundation|labs?|technologies|solutions|systems|"
    r"services|consulting|partners)\b\.?|株式会社|有限会社|大学|病院|銀行|学校",
    re.IGNORECASE,
)


@dataclass
class Section:
    """A run of the text under one heading (``kind`` "header" for what precedes the first heading)."""

    kind: str
    heading: str
    start: int  # offset of the section's body in the text
    end: int


@dataclass
class Line:
    start: int
    end: int
    text: str


@dataclass
class Entry:
    """A dated entry of an experience or education section."""

    title: str = ""
    organization: str = ""
    start: str | None = None
    end: str | None = None
    body: list[Line] = field(default_factory=list)  # its description lines (offsets into the text)
    header: list[Line] = field(default_factory=list)


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[:：.\-–—_=*#|]+\s*$", "", text.strip())
    text = re.sub(r"^[\W_]+|[\W_]+$", "", text)
    return " ".join(text.replace("&", "and").replace("、", " ").split())


def heading_of(line: str) -> tuple[str, str] | None:
    """(section kind, rest of the line) when ``line`` opens a section: a known heading alone on its
    line, or followed by a colon and content ("Skills: Python, SQL")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return None
    cleaned = re.sub(r"^[■□●◆◇▼▽【\[]+|[】\]]+$", "", stripped).strip()
    key = norm(cleaned)
    if key in HEADINGS and len(key.split()) <= 6:
        return HEADINGS[key], ""
    m = re.match(r"^([^:：]{2,40})[:：]\s*(.+)$", cleaned)
    if m and norm(m.group(1)) in HEADINGS:
        return HEADINGS[norm(m.group(1))], m.group(2)
    return None


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


def split_sections(text: str) -> list[Section]:
    """The text cut at its headings. Inline headings ("Skills: Python, SQL") start their section at the
    content after the colon."""
    sections: list[Section] = []
    current = Section("header", "", 0, 0)
    for ln in lines_of(text):
        h = heading_of(ln.text)
        if h is None:
            continue
        kind, rest = h
        current.end = ln.start
        sections.append(current)
        body_start = ln.end - len(rest.rstrip()) - (len(ln.text) - len(ln.text.rstrip())) if rest else ln.end + 1
        current = Section(kind, ln.text.strip(), min(body_start, len(text)), 0)
    current.end = len(text)
    sections.append(current)
    return [s for s in sections if s.end > s.start or s.kind != "header"]


def find_email(text: str) -> str | None:
    m = EMAIL.search(text)
    return m.group() if m else None


def find_phone(text: str) -> str | None:
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15 and not _RANGE.search(m.group()) and not re.fullmatch(r"(?:19|20)\d\d", digits[:4]):
            return m.group().strip()
        if 9 <= len(digits) <= 15 and m.group().strip().startswith(("+", "(", "0")):
            return m.group().strip()
    return None


_NAME_LABEL = re.compile(r"^\s*(?:name|full name|氏名|名前)\s*[:：]?\s*(.+)$", re.IGNORECASE)


def find_name(header: str) -> str | None:
    """The person's name: a "Name:" line, else the first short line of the header that is no contact
    detail, heading or date."""
    for raw in header.split("\n"):
        m = _NAME_LABEL.match(raw)
        if m and 1 <= len(m.group(1).split()) <= 6:
            return _name_clean(m.group(1))
    for raw in header.split("\n"):
        line = raw.strip()
        if not line:
            continue
        for part in re.split(r"\s{3,}|\s[|·•]\s", line):
            part = part.strip()
            if not part or EMAIL.search(part) or URL.search(part) or PHONE.search(part) or _SINGLE_DATE.search(part):
                continue
            if heading_of(part) is not None:
                continue
            words = part.split()
            if 1 <= len(words) <= 5 and len(part) <= 60 and not re.search(r"[0-9@,;:!?]", part):
                letters = sum(ch.isalpha() or ch in " .'-・　" for ch in part)
                if letters >= len(part) * 0.9:
                    return _name_clean(part)
            break  # the first line that is not contact data decides; a title line is no name
    return None


def _name_clean(text: str) -> str:
    return " ".join(text.replace("　", " ").split())[:200]


def parse_date(value: str | None) -> str | None:
    """ "YYYY-MM" or "YYYY" from a CV date; None for "present" or nothing recognisable."""
    if not value:
        return None
    v = unicodedata.normalize("NFKC", value).strip().casefold().rstrip(".")
    if re.fullmatch(_PRESENT_RE, v, re.IGNORECASE):
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月)?", v)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}" if m.group(2) else m.group(1)
    m = re.fullmatch(rf"({_MONTH_RE})\s+((?:19|20)\d\d)", v)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1).rstrip('.')]:02d}"
    m = re.fullmatch(r"(\d{1,2})[/.]((?:19|20)\d\d)", v)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"((?:19|20)\d\d)[-/.](\d{1,2})", v)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"(?:19|20)\d\d", v)
    return v if m else None


def date_range(line: str) -> tuple[str | None, str | None, tuple[int, int]] | None:
    """(start, end, (span)) of the first date range in ``line``; a lone date counts as start = end."""
    m = _RANGE.search(line)
    if m:
        return parse_date(m.group("start")), parse_date(m.group("end")), m.span()
    m = _SINGLE_DATE.search(line)
    if m:
        d = parse_date(m.group("d"))
        return d, d, m.span()
    return None


_SEP = re.compile(r"\s{3,}|\s+(?:at|@|\|)\s+|\s*[|｜]\s*|\s+[-–—]\s+|,\s+|\s*／\s*|\s*/\s+")


def _title_org(parts: list[str]) -> tuple[str, str]:
    parts = [p.strip(" ,;()[]|-–—") for p in parts if p.strip(" ,;()[]|-–—")]
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    org_like = [bool(_ORG_WORDS.search(p)) for p in parts]
    if org_like[0] and not org_like[1]:
        return parts[1], parts[0]
    return parts[0], parts[1]


def split_header(text: str) -> list[str]:
    """A header line cut at its separators ("Data analyst at Acme", "Acme | Engineer")."""
    m = re.match(r"^(.*?)\s+at\s+(.+)$", text)
    if m:
        return [m.group(1), m.group(2)]
    return [p for p in _SEP.split(text) if p and p.strip()]


def _is_header_line(ln: Line) -> bool:
    t = ln.text.strip()
    if not t or BULLET.match(ln.text):
        return False
    return len(t.split()) <= 14 and len(t) <= 120 and not t.endswith((".", "。"))


def parse_entries(text: str, section: Section) -> list[Entry]:
    """Dated entries of a section. An entry is anchored on a line holding a date (range); its header is
    that line without the dates plus up to two short non-bullet lines just above it (title,
    organization); its body runs to the next entry's header."""
    lines = [ln for ln in lines_of(text, section.start, section.end)]
    anchors: list[int] = []
    for i, ln in enumerate(lines):
        if ln.text.strip() and date_range(ln.text) is not None and len(ln.text.split()) <= 20:
            anchors.append(i)
    entries: list[Entry] = []
    header_starts: list[int] = []
    for n, a in enumerate(anchors):
        floor = anchors[n - 1] + 1 if n else 0
        first = a
        while first - 1 >= floor and a - (first - 1) <= 2 and _is_header_line(lines[first - 1]):
            first -= 1
        if n and first <= anchors[n - 1]:
            first = anchors[n - 1] + 1
        header_starts.append(first)
    for n, a in enumerate(anchors):
        first = header_starts[n]
        stop = header_starts[n + 1] if n + 1 < len(anchors) else len(lines)
        dr = date_range(lines[a].text)
        assert dr is not None
        start, end, (s, e) = dr
        anchor_rest = (lines[a].text[:s] + "  " + lines[a].text[e:]).strip(" ,;:()[]|-–—\t")
        texts = [lines[i].text.strip() for i in range(first, a)] + ([anchor_rest] if anchor_rest else [])
        texts = [t for t in texts if t]
        first_parts = split_header(texts[0]) if texts else []
        if len(first_parts) > 1:
            title, org = _title_org(first_parts)
        elif len(texts) >= 2:
            title, org = _title_org([texts[0], (split_header(texts[1]) or [texts[1]])[0]])
        elif texts:
            title, org = _title_org([texts[0]])
        else:
            title, org = "", ""
        body = [ln for ln in lines[a + 1 : stop] if ln.text.strip()]
        entries.append(
            Entry(
                title=title[:300],
                organization=org[:300],
                start=start,
                end=end,
                body=body,
                header=lines[first : a + 1],
            )
        )
    return entries


def _trim(text: str) -> str:
    """Separators off both ends, and brackets too unless they pair up ("Basic Life Support (BLS)")."""
    text = text.strip(" ,;:|-–—")
    for o, c in ("()", "（）", "[]"):
        if text.endswith(c) and text.count(o) < text.count(c):
            text = text[:-1]
        if text.startswith(o) and text.count(o) > text.count(c):
            text = text[1:]
    return text.strip(" ,;:|-–—")


# the level words certification names end in after a dash
_LEVEL = re.compile(
    r"(?:associate|professional|specialty|speciality|expert|foundations?|practitioner|fundamentals|advanced"
    r"|intermediate|beginner|master|level\s*\d+)\b\s*(?:$|[,(（|])",
    re.IGNORECASE,
)


def certification_lines(text: str, section: Section) -> list[dict]:
    """One certification per non-empty line: ``{"title", "issuer", "issued", "url", "line": Line}``."""
    out = []
    lines = lines_of(text, section.start, section.end)
    merged: list[Line] = []
    for ln in lines:
        # a line ending with a comma goes on in the next one ("Tableau Desktop Specialist," / "Tableau, 2022")
        if merged and merged[-1].text.rstrip().endswith((",", "、")) and ln.text.strip():
            prev = merged.pop()
            ln = Line(prev.start, ln.end, text[prev.start : ln.end].replace("\n", " "))
        merged.append(ln)
    for ln in merged:
        raw = BULLET.sub("", ln.text).strip()
        if not raw or len(raw) > 300:
            continue
        url_m = URL.search(raw)
        url = url_m.group() if url_m else None
        rest = (raw[: url_m.start()] + raw[url_m.end() :]) if url_m else raw
        issued = None
        dr = _SINGLE_DATE.search(rest)
        if dr:
            issued = parse_date(dr.group("d"))
            rest = rest[: dr.start()] + rest[dr.end() :]
        rest = re.sub(r"\(\s*\)|\[\s*\]|（\s*）", "", rest)
        issuer = ""
        title = rest
        # the issuer follows the first of these; a bracket only when nothing else separates the two
        # ("Basic Life Support (BLS), Resuscitation Council UK" keeps its acronym). A dash before a
        # certification's level is part of its title ("AWS Certified Solutions Architect – Associate").
        for sep in (r"\s+(?:issued\s+)?by\s+", r"\s*,\s*", r"\s+[-–—|]\s+|\s*[|｜：]\s*", r"\s*[(（]\s*"):
            m = re.search(sep, rest)
            if m and re.search(r"[-–—]", m.group()) and _LEVEL.match(rest, m.end()):
                continue  # the certification's level, not its issuer
            if m and m.start() > 0:
                title, issuer = rest[: m.start()], rest[m.end() :]
                break
        title, issuer = _trim(title), _trim(issuer)
        if not title:
            continue
        out.append({"title": title[:300], "issuer": issuer[:300] or None, "issued": issued, "url": url, "line": ln})
    return out


def skill_items(text: str, section: Section) -> list[Line]:
    """The items of a skills section: split at commas, semicolons, bullets, pipes and line ends, with a
    leading "Group:" label dropped ("Languages: Python, SQL" → "Python", "SQL")."""
    out = []
    for ln in lines_of(text, section.start, section.end):
        body_start = ln.start
        m = re.match(r"^\s*([^:：,;]{2,40})[:：]\s*", ln.text)
        # a table row "Group | a, b" (one cell naming the group, one listing the skills)
        m = m or re.match(r"^\s*([^|,、]{2,40}?)\s*\|\s*(?=[^|]*[,、])(?!.*\|)", ln.text)
        if m:
            body_start = ln.start + m.end()
        for piece in re.finditer(r"[^,;|•·▪●■◦、，／\t]+", text[body_start : ln.end]):
            raw = piece.group()
            lead = len(raw) - len(BULLET.sub("", raw).lstrip())
            item = raw[lead:].rstrip(" .")
            if m is None and piece.start() == 0 and re.fullmatch(r"[^:：]{2,40}[:：]", item):
                continue
            if norm(item) in HEADINGS:  # a group label in a table cell ("Languages | Python, SQL")
                continue
            if item.strip() and len(item) <= 80:
                s = body_start + piece.start() + lead
                out.append(Line(s, s + len(item), item))
    return out
