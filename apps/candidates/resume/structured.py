"""JSON Resume (schema v1) and HR Open LER-RS documents to a draft (no Django).

Both are read tolerantly: a missing or mistyped field is skipped, never an error. Skills named in
the document's own fields have no span (there is no text to point into); the context shown beside
them is the field they came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .sections import parse_date

if TYPE_CHECKING:
    from .draft import Draft, Extract, Resolve

MAX_ITEMS = 200  # entries read per list; a real CV has far fewer


def _s(value: Any, limit: int = 2000) -> str:
    """A string field, or "" for anything else."""
    return value.strip()[:limit] if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value[:MAX_ITEMS] if isinstance(value, list) else ([] if value is None else [value])


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in _list(value) if isinstance(v, dict)]


def _date(value: Any) -> str | None:
    """ "YYYY-MM" / "YYYY" from an ISO date ("2019-04-01", "2019-04", "2019")."""
    text = _s(value, 40)
    if not text:
        return None
    if len(text) >= 7 and text[4] == "-" and text[:4].isdigit() and text[5:7].isdigit():
        return text[:7]
    return parse_date(text[:10])


def fill_from_json(draft: Draft, kind: str, data: dict[str, Any], *, extract: Extract, resolve: Resolve) -> None:
    if kind == "ler-rs":
        _ler_rs(draft, data, extract=extract, resolve=resolve)
    else:
        _json_resume(draft, data, extract=extract, resolve=resolve)


def _text_skills(text: str, source: str, extract: Extract, resolve: Resolve) -> list:
    from .draft import Skill, prose_hits

    return [
        Skill(
            phrase=h.get("text") or text[h["span"][0] : h["span"][1]],
            uri=h.get("uri"),
            label=h.get("label"),
            source=source,
            span=None,
            confidence=float(h.get("confidence", 1.0)),
            context=text[:240],
        )
        for h in prose_hits(text, source, extract=extract, resolve=resolve)
    ]


def _named(names: list[str], source: str, *, extract: Extract, resolve: Resolve) -> list:
    from .draft import listed

    return listed([(n, None, n) for n in names if n], source, extract=extract, resolve=resolve)


# --- JSON Resume ----------------------------------------------------------------------------------


def _json_resume(draft: Draft, data: dict[str, Any], *, extract: Extract, resolve: Resolve) -> None:
    from .draft import CredentialEntry, EducationEntry, ExperienceEntry

    basics = data.get("basics") if isinstance(data.get("basics"), dict) else {}
    draft.name = _s(basics.get("name"), 200) or None
    draft.email = _s(basics.get("email"), 254) or None
    draft.phone = _s(basics.get("phone"), 50) or None
    draft.skills += _text_skills(_s(basics.get("summary")), "summary", extract, resolve)
    for group in ("work", "volunteer", "projects"):
        for w in _dicts(data.get(group)):
            title = _s(w.get("position"), 300) or _s(w.get("name") if group == "projects" else "", 300)
            org = _s(w.get("name") if group != "projects" else w.get("entity"), 300) or _s(w.get("company"), 300)
            org = org or _s(w.get("organization"), 300)
            text = "\n".join(
                [_s(w.get("summary")), _s(w.get("description"))] + [_s(h, 500) for h in _list(w.get("highlights"))]
            ).strip()
            found = _text_skills(text, "experience", extract, resolve)
            found += _named(
                [_s(k, 80) for k in _list(w.get("keywords"))], "experience", extract=extract, resolve=resolve
            )
            if not (title or org):
                continue
            draft.experience.append(
                ExperienceEntry(
                    title=title or org,
                    organization=org if title else "",
                    start=_date(w.get("startDate")),
                    end=_date(w.get("endDate")),
                    skills=found,
                    description=text,
                )
            )
            draft.skills += found
    for e in _dicts(data.get("education")):
        title = " ".join(x for x in (_s(e.get("studyType"), 150), _s(e.get("area"), 150)) if x)
        inst = _s(e.get("institution"), 300)
        if title or inst:
            draft.education.append(EducationEntry(title, inst, _date(e.get("startDate")), _date(e.get("endDate"))))
        courses = [_s(c, 200) for c in _list(e.get("courses"))]
        draft.skills += _text_skills("\n".join(c for c in courses if c), "education", extract, resolve)
    for c in _dicts(data.get("certificates")):
        title = _s(c.get("name"), 300)
        if title:
            draft.credentials.append(
                CredentialEntry(
                    title, _s(c.get("issuer"), 300) or None, _date(c.get("date")), _s(c.get("url"), 500) or None
                )
            )
            draft.skills += _text_skills(title, "certifications", extract, resolve)
    names: list[str] = []
    for s in _dicts(data.get("skills")):
        keywords = [_s(k, 80) for k in _list(s.get("keywords"))]
        names += [k for k in keywords if k]
        if _s(s.get("name"), 80) and not any(keywords):  # with keywords, the name groups them ("Tools")
            names.append(_s(s.get("name"), 80))
    for lang in _dicts(data.get("languages")):
        if _s(lang.get("language"), 80):
            names.append(_s(lang.get("language"), 80))
    draft.skills = _named(names, "skills", extract=extract, resolve=resolve) + draft.skills


# --- HR Open LER-RS -------------------------------------------------------------------------------


def _name_of(value: Any) -> str:
    """A name that may be a string, {"name": …}, {"formattedName": …} or {"given", "family"}."""
    if isinstance(value, str):
        return value.strip()[:300]
    if isinstance(value, dict):
        for key in ("formattedName", "name", "tradeName", "legalName", "title", "value"):
            inner = value.get(key)
            if isinstance(inner, (str, dict)):
                got = _name_of(inner)
                if got:
                    return got
        parts = [_s(value.get(k), 100) for k in ("given", "middle", "family")]
        return " ".join(p for p in parts if p)
    return ""


def _first_contact(comm: Any, key: str, fields: tuple[str, ...]) -> str:
    if not isinstance(comm, dict):
        return ""
    for item in _list(comm.get(key)):
        if isinstance(item, str) and item.strip():
            return item.strip()[:254]
        if isinstance(item, dict):
            for f in fields:
                if _s(item.get(f), 254):
                    return _s(item.get(f), 254)
    return ""


def _period(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    start, end = obj.get("start") or obj.get("startDate"), obj.get("end") or obj.get("endDate")
    for key in ("effectiveTimePeriod", "timePeriod", "attendancePeriod"):
        if isinstance(obj.get(key), dict):
            start = start or obj[key].get("start") or obj[key].get("validFrom")
            end = end or obj[key].get("end") or obj[key].get("validTo")
    return _date(start), _date(end)


def _descriptions(obj: dict[str, Any]) -> str:
    texts: list[str] = []
    # some LER-RS examples put a position's descriptions inside its location object
    holders = [obj] + [obj["location"]] if isinstance(obj.get("location"), dict) else [obj]
    for key, holder in ((k, h) for h in holders for k in ("description", "descriptions", "summary", "content")):
        for d in _list(holder.get(key)):
            if isinstance(d, str):
                texts.append(d[:2000])
            elif isinstance(d, dict):
                texts.append(_s(d.get("content") or d.get("text") or d.get("value")))
    return "\n".join(t for t in texts if t).strip()


def _competency_names(obj: dict[str, Any]) -> list[str]:
    out = []
    for key in ("competencies", "skills", "qualifications"):
        for c in _list(obj.get(key)):
            name = _name_of(c) if isinstance(c, dict) else _s(c, 80)
            if isinstance(c, dict) and not name:
                name = _s(c.get("competencyName") or c.get("skillName"), 80)
            if name:
                out.append(name[:80])
    return out


def _ler_rs(draft: Draft, data: dict[str, Any], *, extract: Extract, resolve: Resolve) -> None:
    from .draft import CredentialEntry, EducationEntry, ExperienceEntry

    person = data.get("person") if isinstance(data.get("person"), dict) else {}
    draft.name = _name_of(person.get("name")) or None
    for comm in (data.get("communication"), person.get("communication")):
        draft.email = draft.email or _first_contact(comm, "email", ("address", "value")) or None
        draft.phone = draft.phone or _first_contact(comm, "phone", ("formattedNumber", "number", "value")) or None
    for n in _dicts(data.get("narratives")):
        # LER-RS 4.x narratives hold ``texts[].lines[]``; older drafts a ``content`` string
        lines = [_s(n.get("content") or n.get("text"))]
        lines += [_s(line) for t in _dicts(n.get("texts")) for line in _list(t.get("lines"))]
        draft.skills += _text_skills("\n".join(x for x in lines if x), "summary", extract, resolve)
    for history in _dicts(data.get("employmentHistories")):
        org = _name_of(history.get("organization") or history.get("employer") or history.get("name"))
        positions = _dicts(history.get("positionHistories")) or [history]
        for p in positions:
            title = _name_of(p.get("title") or p.get("positionTitle"))
            text = _descriptions(p)
            found = _text_skills(text, "experience", extract, resolve)
            found += _named(_competency_names(p), "experience", extract=extract, resolve=resolve)
            if not (title or org):
                continue
            start, end = _period(p)
            if start is None and end is None:
                start, end = _period(history)
            if p.get("current") is True:
                end = None
            draft.experience.append(
                ExperienceEntry(title or org, org if title else "", start, end, skills=found, description=text)
            )
            draft.skills += found
    for e in _dicts(data.get("educationAndLearnings")):
        inst = _name_of(e.get("institution") or e.get("organization") or e.get("school"))
        degree = e.get("educationDegrees") or e.get("degree") or e.get("programs")
        title = _name_of(_dicts(degree)[0]) if _dicts(degree) else _name_of(degree) or _name_of(e.get("name"))
        if title or inst:
            start, end = _period(e)
            draft.education.append(EducationEntry(title, inst, start, end))
        draft.skills += _text_skills(_descriptions(e), "education", extract, resolve)
    for key in ("certifications", "licenses"):
        for c in _dicts(data.get(key)):
            # the credential itself may ride along as a verification (an Open Badge, a URL reference)
            proofs = _dicts(c.get("verifications"))
            vc = next((v for v in proofs if v.get("name") or v.get("issuer")), {})
            title = _name_of(c.get("name") or c.get("title")) or _name_of(vc.get("name"))
            if not title:
                continue
            issuer = _name_of(c.get("issuingAuthority") or c.get("issuer") or c.get("organization"))
            issuer = issuer or _name_of(vc.get("issuer"))
            start, _ = _period(c)
            url = ""
            refs = [c.get("link"), c.get("url"), c.get("id")] + [v.get("reference") or v.get("id") for v in proofs]
            for ref in refs:
                if isinstance(ref, str) and ref.startswith(("http://", "https://")):
                    url = ref[:500]
                    break
            issued = (
                _date(c.get("issued") or c.get("issueDate") or c.get("firstIssuedDate") or c.get("firstIssued"))
                or start
                or _date(vc.get("issuanceDate") or vc.get("validFrom"))
            )
            draft.credentials.append(CredentialEntry(title, issuer or None, issued, url or None))
            draft.skills += _text_skills(title, "certifications", extract, resolve)
    names = _competency_names(data)
    draft.skills = _named(names, "skills", extract=extract, resolve=resolve) + draft.skills
