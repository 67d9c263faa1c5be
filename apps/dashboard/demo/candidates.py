"""Deterministic demo candidates in the interchange format (no Django).

Each organization's pool mixes career tracks (software, data, green energy, logistics at Sakura
Digital; nursing, mental health, accounting at Kiwi Health). A candidate holds 1-5 credentials drawn
mostly from their track's catalog offerings (title, provider as issuer, level, hours and the
offering's skills), issued 2019-2026, about 70% verified, some with an expiry already past; many
also hold a degree (which the scorer ignores) and a few self-declared skills. Names come from the
communities each employer hires from. The same seed always gives the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from apps.credentials.catalog import Offering

SEED = 20251117  # the day the Japan Micro-credential Organisation was founded
# Issue dates are drawn from a fixed window (not "today") so the data set never changes by itself.
ISSUED_FROM = date(2019, 1, 1)
ISSUED_TO = date(2026, 10, 31)
VERIFIED_SHARE = 0.7


@dataclass(frozen=True)
class Track:
    """A career track: catalog offerings (id, draw weight), self-declared skills, degrees."""

    offerings: tuple[tuple[str, float], ...]
    declared: tuple[str, ...]
    degrees: tuple[tuple[str, str, int, tuple[str, ...]], ...]  # title, framework, level, skills


TRACKS: dict[str, Track] = {
    "software": Track(
        offerings=(
            ("nz-python-l2", 3),
            ("nz-webdev-l5", 3),
            ("eu-sql-eqf5", 3),
            ("nz-testing-l6", 2),
            ("vendor-cloud-practitioner", 2),
            ("vendor-cloud-developer", 1.5),
            ("eu-devops-eqf6", 1.5),
            ("eu-agile-eqf5", 1.5),
            ("jm-web-security", 1),
        ),
        declared=("Git", "Docker", "Linux command line", "REST APIs", "TypeScript", "code review"),
        degrees=(
            ("BSc Computer Science", "EQF", 6, ("computer programming", "algorithms")),
            ("Diploma in Information Technology", "NZQF", 5, ("computer programming",)),
            ("BEng Software Engineering", "EQF", 6, ("software design methodologies",)),
        ),
    ),
    "data": Track(
        offerings=(
            ("nz-data-analytics-l6", 3),
            ("eu-sql-eqf5", 3),
            ("jm-python-data", 3),
            ("eu-statistics-eqf6", 2),
            ("vendor-bi-analyst", 2),
            ("nz-spreadsheets-l3", 1.5),
            ("eu-ml-eqf7", 1.5),
            ("eu-datamining-eqf6", 1.5),
            ("jm-ai-literacy", 1.5),
            ("eu-data-quality-eqf5", 1),
            ("nz-python-l2", 1),
        ),
        declared=("Excel pivot tables", "Tableau", "Power BI", "A/B testing", "Google Analytics"),
        degrees=(
            ("BSc Mathematics", "EQF", 6, ("statistics", "mathematics")),
            ("MSc Data Science", "EQF", 7, ("machine learning", "statistics")),
            ("BA Economics", "EQF", 6, ("econometrics",)),
        ),
    ),
    "energy": Track(
        offerings=(
            ("nz-solar-pv-l4", 3),
            ("nz-pv-maintenance-l4", 2.5),
            ("eu-renewable-eqf4", 2),
            ("vendor-battery-installer", 2),
            ("nz-health-safety-l3", 2),
            ("eu-energy-audit-eqf5", 1),
            ("jm-gx-intro", 1),
        ),
        declared=("electrical wiring", "reading wiring diagrams", "roof work", "customer site visits"),
        degrees=(
            ("BEng Electrical Engineering", "EQF", 6, ("electrical engineering",)),
            ("National Certificate in Electrical Engineering", "NZQF", 4, ("electrical wiring",)),
        ),
    ),
    "logistics": Track(
        offerings=(
            ("nz-logistics-l4", 3),
            ("nz-warehouse-l3", 3),
            ("nz-forklift-l3", 2),
            ("jm-scm", 2),
            ("eu-green-logistics-eqf5", 1.5),
            ("vendor-customs-freight", 1.5),
            ("nz-spreadsheets-l3", 1),
            ("nz-health-safety-l3", 1),
        ),
        declared=("route planning", "SAP", "shipping documentation", "Class 2 driver licence"),
        degrees=(
            ("BCom Supply Chain Management", "EQF", 6, ("supply chain management",)),
            ("Diploma in Business", "NZQF", 5, ("business administration",)),
        ),
    ),
    "nursing": Track(
        offerings=(
            ("nz-nicu-l8", 2.5),
            ("nz-nursing-cap-l7", 3),
            ("nz-medication-l6", 3),
            ("nz-infection-l5", 3),
            ("vendor-bls", 3),
            ("eu-nurse-leadership-eqf7", 1.5),
            ("nz-health-support-l3", 1.5),
            ("nz-leadership-l5", 1),
            ("jm-dementia-care", 1),
        ),
        declared=(
            "patient advocacy",
            "IV cannulation",
            "wound care",
            "tikanga Māori in healthcare",
            "electronic health records",
        ),
        degrees=(
            ("Bachelor of Nursing", "NZQF", 7, ("nursing principles",)),
            ("Postgraduate Diploma in Nursing", "NZQF", 8, ("nursing science",)),
        ),
    ),
    "mental_health": Track(
        offerings=(
            ("nz-mental-health-l7", 3),
            ("eu-mental-health-promotion-eqf6", 2.5),
            ("nz-medication-l6", 2),
            ("nz-nursing-cap-l7", 1.5),
            ("nz-health-support-l3", 1.5),
            ("vendor-bls", 1.5),
            ("nz-leadership-l5", 1),
        ),
        declared=("motivational interviewing", "de-escalation", "trauma-informed care", "addiction support"),
        degrees=(
            ("Bachelor of Nursing", "NZQF", 7, ("nursing principles",)),
            ("BA Psychology", "EQF", 6, ("psychology",)),
        ),
    ),
    "accounting": Track(
        offerings=(
            ("nz-cat-l4", 3),
            ("nz-payroll-l4", 2.5),
            ("nz-tax-l5", 2.5),
            ("vendor-cloud-accounting", 2),
            ("eu-ifrs-eqf6", 1.5),
            ("jm-bookkeeping", 1.5),
            ("nz-spreadsheets-l3", 1.5),
            ("nz-leadership-l6", 0.5),
        ),
        declared=("Xero", "MYOB", "accounts payable", "bank reconciliations", "month-end close"),
        degrees=(
            ("BCom Accounting", "NZQF", 7, ("accounting",)),
            ("New Zealand Diploma in Business", "NZQF", 5, ("business administration",)),
        ),
    ),
}

GENERAL_DECLARED = (
    "teamwork",
    "time management",
    "customer service",
    "problem solving",
    "te reo Māori",
    "Japanese (JLPT N2)",
    "English (IELTS 7.0)",
)
OTHER_DEGREES = (
    ("BA History", "EQF", 6, ("historical research",)),
    ("BA Japanese Studies", "EQF", 6, ()),
    ("BA English Literature", "EQF", 6, ("literary analysis",)),
)
UNIVERSITIES = (
    "Tasman University",
    "Seto Inland University",
    "Universität Mittelrhein",
    "Kauri Coast University",
    "Hokuriku Prefectural University",
    "Pacific Rim Institute of Technology",
)

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "japanese": (
        (
            "Haruto",
            "Yui",
            "Sota",
            "Hina",
            "Ren",
            "Aoi",
            "Yuto",
            "Sakura",
            "Riku",
            "Mei",
            "Kaito",
            "Yuna",
            "Takumi",
            "Misaki",
            "Kenji",
            "Naoko",
            "Hiroshi",
            "Emi",
            "Daisuke",
            "Ayaka",
        ),
        (
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
            "Yoshida",
            "Yamada",
            "Sasaki",
            "Matsumoto",
            "Inoue",
            "Kimura",
            "Hayashi",
            "Shimizu",
        ),
    ),
    "maori": (
        (
            "Aroha",
            "Wiremu",
            "Tama",
            "Mere",
            "Hēmi",
            "Anahera",
            "Rāwiri",
            "Kiri",
            "Manaia",
            "Ngaio",
            "Tāne",
            "Hine",
            "Nikau",
            "Moana",
        ),
        (
            "Ngata",
            "Parata",
            "Tuhiwai",
            "Te Rangi",
            "Horomona",
            "Walker",
            "Tipene",
            "Rēweti",
            "Whaanga",
            "Pōmare",
            "Kingi",
            "Hēnare",
        ),
    ),
    "nz_european": (
        (
            "Olivia",
            "Jack",
            "Charlotte",
            "Oliver",
            "Isla",
            "Liam",
            "Amelia",
            "George",
            "Harper",
            "Noah",
            "Ruby",
            "Finn",
        ),
        (
            "Smith",
            "Wilson",
            "Thompson",
            "Brown",
            "Campbell",
            "Anderson",
            "Taylor",
            "Stewart",
            "Clarke",
            "Robertson",
        ),
    ),
    "pacific": (
        ("Sione", "Losa", "Talia", "Viliami", "Mele", "Tavita", "Sina", "Ioane", "Lagi", "Semisi"),
        ("Tuilagi", "Fonoti", "Taufa", "Faleolo", "Lemalu", "Vaifale", "Tupou", "Leota"),
    ),
    "european": (
        (
            "Anna",
            "Lukas",
            "Sofia",
            "Mateo",
            "Chloé",
            "Jan",
            "Elena",
            "Matteo",
            "Ingrid",
            "Piotr",
            "Marta",
            "Jonas",
        ),
        (
            "Müller",
            "Schmidt",
            "Rossi",
            "García",
            "Dubois",
            "Kowalski",
            "Jansen",
            "Novák",
            "Lindqvist",
            "Fernández",
            "Bianchi",
            "Nowak",
        ),
    ),
    "chinese": (
        ("Wei", "Mei Ling", "Jun", "Xiao", "Li Na", "Hao", "Yan"),
        ("Wang", "Chen", "Li", "Zhang", "Liu", "Huang"),
    ),
    "korean": (
        ("Ji-woo", "Min-jun", "Seo-yeon", "Ha-eun", "Do-yun", "Ye-jin"),
        ("Kim", "Lee", "Park", "Choi", "Jung"),
    ),
    "indian": (
        ("Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera"),
        ("Sharma", "Patel", "Singh", "Iyer", "Reddy", "Nair"),
    ),
    "filipino": (
        ("Maria", "Jose", "Angelica", "Mark", "Kristine", "Paolo"),
        ("Santos", "Reyes", "Cruz", "Bautista"),
    ),
}


@dataclass(frozen=True)
class PoolSpec:
    """How an organization's talent pool is made up."""

    prefix: str
    tracks: tuple[tuple[str, float], ...]
    cultures: tuple[tuple[str, float], ...]


POOLS: dict[str, PoolSpec] = {
    "sakura-digital": PoolSpec(
        prefix="sd-c",
        tracks=(("software", 0.35), ("data", 0.30), ("energy", 0.17), ("logistics", 0.18)),
        cultures=(
            ("japanese", 0.5),
            ("chinese", 0.08),
            ("korean", 0.08),
            ("european", 0.12),
            ("indian", 0.08),
            ("filipino", 0.06),
            ("nz_european", 0.04),
            ("maori", 0.04),
        ),
    ),
    "kiwi-health": PoolSpec(
        prefix="kh-c",
        tracks=(("nursing", 0.5), ("mental_health", 0.2), ("accounting", 0.3)),
        cultures=(
            ("nz_european", 0.3),
            ("maori", 0.22),
            ("pacific", 0.14),
            ("indian", 0.1),
            ("filipino", 0.08),
            ("chinese", 0.06),
            ("european", 0.06),
            ("japanese", 0.04),
        ),
    ),
}

# How long a certificate stays valid, by offering id prefix or id (the rest never expire).
VALIDITY_YEARS = {"vendor-bls": 2, "nz-forklift-l3": 3, "vendor-": 3}


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def credential_kind(offering_id: str) -> str:
    """Vendors issue certificates and JMOOC courses Open Badges; everything else is a micro-credential."""
    if offering_id == "nz-forklift-l3":
        return "license"
    if offering_id.startswith("vendor-"):
        return "certificate"
    if offering_id.startswith("jm-"):
        return "badge"
    return "microcredential"


def _expires(offering_id: str, issued: date) -> date | None:
    years = VALIDITY_YEARS.get(offering_id) or next(
        (y for k, y in VALIDITY_YEARS.items() if k.endswith("-") and offering_id.startswith(k)), None
    )
    return issued.replace(year=issued.year + years, day=min(issued.day, 28)) if years else None


def credential_doc(offering: Offering, *, issued: date, verified: bool, skills: list[str] | None = None) -> dict:
    """An interchange credential for someone who completed ``offering``."""
    expires = _expires(offering.id, issued)
    return {
        "title": offering.title,
        "kind": credential_kind(offering.id),
        "issuer": offering.provider,
        "issued": issued.isoformat(),
        "expires": expires.isoformat() if expires else None,
        "verified": verified,
        "level": {"framework": offering.level_framework, "value": offering.level_value}
        if offering.level_framework and offering.level_value
        else None,
        "hours": offering.hours,
        "skills": list(skills if skills is not None else offering.skills),
    }


def _degree(rng: random.Random, spec: tuple[str, str, int, tuple[str, ...]]) -> dict:
    title, framework, level, skills = spec
    return {
        "title": title,
        "kind": "degree",
        "issuer": rng.choice(UNIVERSITIES),
        "issued": _date_between(rng, date(2004, 1, 1), date(2021, 12, 31)).isoformat(),
        "verified": rng.random() < 0.5,
        "level": {"framework": framework, "value": level},
        "skills": list(skills),
    }


def generate_pool(*, org_slug: str, count: int, catalog: dict[str, Offering], seed: int = SEED) -> list[dict]:
    """``count`` interchange candidate dicts for the organization ``org_slug`` (a key of POOLS)."""
    if org_slug not in POOLS:
        raise ValueError(f"no demo pool for {org_slug!r}; one of {', '.join(POOLS)}")
    missing = sorted({o for t in TRACKS.values() for o, _ in t.offerings} - set(catalog))
    if missing:
        raise ValueError(f"the catalog lacks offerings the demo tracks use: {', '.join(missing)}")
    pool = POOLS[org_slug]
    # One stream per organization: adding people to one pool never reshuffles the other.
    rng = random.Random(f"{seed}:{org_slug}")
    all_ids = sorted(catalog)
    used_names: set[str] = set()
    out = []
    for n in range(1, count + 1):
        track = TRACKS[_pick(rng, pool.tracks)]
        culture = _pick(rng, pool.cultures)
        given, family = NAMES[culture]
        name = f"{rng.choice(given)} {rng.choice(family)}"
        for _ in range(20):  # a few retries keep the list readable; a rare repeat is realistic anyway
            if name not in used_names:
                break
            name = f"{rng.choice(given)} {rng.choice(family)}"
        used_names.add(name)

        n_creds = rng.choices([1, 2, 3, 4, 5], weights=[15, 30, 30, 15, 10])[0]
        chosen: list[str] = []
        while len(chosen) < n_creds:
            if rng.random() < 0.85:
                oid = _pick(rng, track.offerings)
            else:  # career changers and side interests: anything in the catalog
                oid = rng.choice(all_ids)
            if oid not in chosen:
                chosen.append(oid)
        creds = []
        for oid in chosen:
            off = catalog[oid]
            skills = list(off.skills)
            if len(skills) > 2 and rng.random() < 0.2:
                skills.pop(rng.randrange(len(skills)))  # badges often list only some outcomes
            creds.append(
                credential_doc(
                    off,
                    issued=_date_between(rng, ISSUED_FROM, ISSUED_TO),
                    verified=rng.random() < VERIFIED_SHARE,
                    skills=skills,
                )
            )
        declared_pool = track.declared + GENERAL_DECLARED
        declared = rng.sample(declared_pool, k=rng.choices([0, 1, 2, 3], weights=[30, 30, 25, 15])[0])
        degrees = []
        if rng.random() < 0.55:
            spec = rng.choice(OTHER_DEGREES) if rng.random() < 0.2 else rng.choice(track.degrees)
            degrees.append(_degree(rng, spec))
        out.append(
            {
                "id": f"{pool.prefix}-{n:04d}",
                "name": name,
                "credentials": creds,
                "skills": declared,
                "degrees": degrees,
            }
        )
    return out


# The demo job seeker (user ``seeker``): a career changer into data with a few small credentials,
# so the dashboard shows covered skills, gaps and a short pathway for the data analyst job.
SEEKER_ID = "sd-c-seeker"


def seeker_doc(catalog: dict[str, Offering]) -> dict:
    creds = [
        credential_doc(catalog["nz-python-l2"], issued=date(2024, 3, 15), verified=True),
        credential_doc(catalog["eu-sql-eqf5"], issued=date(2025, 2, 10), verified=True),
        credential_doc(catalog["nz-spreadsheets-l3"], issued=date(2023, 8, 1), verified=False),
        credential_doc(catalog["jm-ai-literacy"], issued=date(2025, 9, 20), verified=True),
    ]
    return {
        "id": SEEKER_ID,
        "name": "Aoi Nakamura",
        "credentials": creds,
        "skills": ["Excel pivot tables", "customer service", "Japanese (native)"],
        "degrees": [
            {
                "title": "BA Japanese Literature",
                "kind": "degree",
                "issuer": "Seto Inland University",
                "issued": "2012-03-25",
                "level": {"framework": "EQF", "value": 6},
                "skills": ["literary analysis"],
            }
        ],
    }
