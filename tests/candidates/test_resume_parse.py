"""CV import: readers (PDF one and two columns, a table, no text layer, DOCX with a table, text, JSON
Resume, LER-RS, junk), section and entry parsing, and the parse_resume contract on a taxonomy."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.candidates.resume import NO_TEXT_LAYER, parse
from apps.candidates.resume.readers import MAX_BYTES, split_columns
from apps.candidates.resume.sections import date_range, heading_of, parse_date

from . import cv_files
from .conftest import URI

LABELS = {
    "python": "u:py",
    "sql": "u:sql",
    "tableau": "u:tab",
    "data analysis": "u:da",
    "machine learning": "u:ml",
    "english": "u:en",
}


def fake_extract(text: str) -> list[dict]:
    """Whole-word label hits, as the real extractor returns them (first occurrence per concept)."""
    out = []
    for label, uri in LABELS.items():
        m = re.search(r"\b" + re.escape(label) + r"\b", text, re.IGNORECASE)
        if m:
            out.append({"uri": uri, "label": label, "span": [m.start(), m.end()], "text": m.group(), "confidence": 1.0})
    return out


def no_resolve(phrases):
    return [None for _ in phrases]


def draft_of(data: bytes, name: str = "cv"):
    return parse(data, name, extract=fake_extract, resolve=no_resolve)


def check_spans(d):
    for s in d.skills + [s for e in d.experience for s in e.skills]:
        if s.span is not None:
            assert d.text[s.span[0] : s.span[1]] == s.phrase


def test_two_column_pdf_reads_each_column_whole():
    d = draft_of(cv_files.pdf_two_columns(), "two.pdf")
    assert d.format == "pdf" and d.errors == []
    assert (d.name, d.email, d.phone) == ("Jane Q. Doe", "jane.doe@example.com", "+44 20 7946 0958")
    # the left column's sections are not interleaved with the right column's lines
    assert "Python, SQL, Tableau\nExcel; Communication" in d.text
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Senior Data Analyst", "Acme Corp", "2020-01", None),
        ("Data Analyst", "Beta Ltd", "2016", "2019"),
    ]
    sources = {s.uri: s.source for s in d.skills if s.uri}
    assert sources == {
        "u:py": "skills",
        "u:sql": "skills",
        "u:tab": "skills",
        "u:en": "skills",
        "u:da": "experience",
        "u:ml": "summary",
    }
    assert {s.phrase for s in d.skills if s.uri is None} == {"Excel", "Communication"}
    assert [{s.uri for s in e.skills} for e in d.experience] == [{"u:tab", "u:py"}, {"u:sql", "u:da"}]
    assert [(c.title, c.issuer, c.issued) for c in d.credentials] == [("Tableau Desktop Specialist", "Tableau", "2021")]
    assert [(e.title, e.institution, e.end) for e in d.education] == [
        ("BSc Mathematics", "University of Leeds", "2015")
    ]
    check_spans(d)


def test_one_column_pdf_and_same_draft_as_text():
    pdf = draft_of(cv_files.pdf_one_column(), "one.pdf")
    txt = draft_of("\n".join(cv_files.HEADER + [""] + cv_files.LEFT + [""] + cv_files.RIGHT).encode(), "one.txt")
    assert txt.format == "txt"
    for d in (pdf, txt):
        assert {s.uri for s in d.skills if s.uri} == {"u:py", "u:sql", "u:tab", "u:en", "u:da", "u:ml"}
        assert len(d.experience) == 2 and d.name == "Jane Q. Doe"
        check_spans(d)


def test_pdf_table_rows_keep_their_cells_together():
    d = draft_of(cv_files.pdf_table(), "table.pdf")
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Data Engineer", "Gamma GmbH", "2020", None),
        ("Developer", "Delta Inc", "2017", "2020"),
    ]
    assert {s.uri for s in d.skills} == {"u:py", "u:sql"}


def test_scanned_pdf_says_so_plainly():
    d = draft_of(cv_files.pdf_scanned(), "scan.pdf")
    assert d.errors == [NO_TEXT_LAYER] and d.skills == [] and d.format is None


def test_docx_with_table_and_japanese_heading():
    d = draft_of(cv_files.docx_cv(), "cv.docx")
    assert d.format == "docx" and d.name == "Kenji Sato" and d.email == "kenji.sato@example.jp"
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Backend Developer", "Foo KK", "2019-04", "2023-03")
    ]
    assert {s.uri: s.source for s in d.skills} == {"u:py": "skills", "u:sql": "skills", "u:tab": "skills"}
    assert [(c.title, c.issuer, c.issued) for c in d.credentials] == [("Tableau Desktop Specialist", "Tableau", "2022")]
    check_spans(d)


def test_json_resume():
    d = draft_of(cv_files.json_resume(), "cv.json")
    assert d.format == "json-resume" and (d.name, d.email) == ("Ana Lima", "ana@example.org")
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Data Analyst", "Acme Corp", "2019-04", "2022-06")
    ]
    assert {s.uri: s.source for s in d.skills if s.uri} == {
        "u:py": "skills",
        "u:sql": "skills",
        "u:en": "skills",
        "u:tab": "experience",
        "u:ml": "summary",
    }
    assert all(s.span is None for s in d.skills)
    assert [(c.title, c.issuer, c.issued, c.url) for c in d.credentials] == [
        ("Tableau Desktop Specialist", "Tableau", "2021-03", "https://example.org/c/1")
    ]


def test_ler_rs_bare_and_as_credential_subject():
    bare = json.loads(cv_files.ler_rs())
    wrapped = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "credentialSubject": bare,
    }
    for raw in (cv_files.ler_rs(), json.dumps(wrapped).encode()):
        d = draft_of(raw, "ler.json")
        assert d.format == "ler-rs" and (d.name, d.email, d.phone) == (
            "Lia Andrews",
            "lia@example.com",
            "+1 555 0100 222",
        )
        assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
            ("Data Engineer", "Acme Corp", "2020-01", "2023-05")
        ]
        assert {s.uri for s in d.experience[0].skills} == {"u:py", "u:sql"}
        assert {s.uri: s.source for s in d.skills} == {
            "u:py": "skills",
            "u:ml": "skills",
            "u:da": "summary",
            "u:sql": "experience",
            "u:tab": "certifications",
        }
        assert [(c.title, c.issuer, c.issued, c.url) for c in d.credentials] == [
            ("Tableau Desktop Specialist", "Tableau", "2021-03", "https://example.com/t")
        ]
        assert [(e.title, e.institution) for e in d.education] == [("MSc Data Science", "MIT")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\xff" * 100, "unreadable file"),
        (b"%PDF-1.7\n garbage", "unreadable PDF"),
        (b"PK\x03\x04junkjunk", "DOCX"),
        (b"", "empty"),
        (b"[1, 2]", "must be an object"),
        (b'{"foo": 1}', "neither a JSON Resume nor an LER-RS"),
        (b"[" * 100, "nested deeper"),
        (b"{bad json", "invalid JSON"),
    ],
)
def test_junk_is_reported_not_raised(data, message):
    d = draft_of(data, "junk")
    assert d.format is None and len(d.errors) == 1 and message in d.errors[0], d.errors


def test_size_limit():
    d = parse(b"a" * (MAX_BYTES + 1), "big.txt", extract=fake_extract, resolve=no_resolve)
    assert "over the" in d.errors[0]


def test_headings_dates_and_japanese():
    assert heading_of("SKILLS") == ("skills", "")
    assert heading_of("Work Experience:") == ("experience", "")
    assert heading_of("【職務経歴】") == ("experience", "")
    assert heading_of("スキル") == ("skills", "") and heading_of("学歴") == ("education", "")
    assert heading_of("Skills: Python, SQL") == ("skills", "Python, SQL")
    assert heading_of("I have skills in many areas of life and work") is None
    assert parse_date("2019年4月") == "2019-04" and parse_date("Sept 2018") == "2018-09"
    assert parse_date("03/2017") == "2017-03" and parse_date("Present") is None
    assert date_range("2019年4月～2022年3月 株式会社テスト")[:2] == ("2019-04", "2022-03")


def test_japanese_text_cv_sections():
    text = (
        "山田 太郎\ntaro@example.jp\n\n職歴\n株式会社テスト / データアナリスト\n2019年4月～現在\n"
        "- SQL と Python でデータ分析\n\nスキル\nPython、SQL、Tableau\n"
    )
    d = draft_of(text.encode(), "ja.txt")
    assert d.name == "山田 太郎" and d.email == "taro@example.jp"
    assert [(e.start, e.end) for e in d.experience] == [("2019-04", None)]
    assert {s.uri: s.source for s in d.skills} == {"u:py": "skills", "u:sql": "skills", "u:tab": "skills"}
    check_spans(d)


def test_split_columns_leaves_prose_alone():
    page = "\n".join(["This is a long line of ordinary prose that runs across the whole page width."] * 10)
    assert split_columns(page) == page


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: t.encode("utf-8"))))
def test_random_input_never_crashes(data):
    d = draft_of(data, "x")
    assert isinstance(d.errors, list)
    json.dumps(d.as_dict())
    check_spans(d)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "Skills",
                "Experience",
                "2019 - 2021",
                "Python, SQL",
                "- did data analysis",
                "Acme Ltd",
                "Education",
                "資格",
                "Summary",
                ":",
                "|",
                "  ",
                "2020年",
            ]
        ),
        max_size=40,
    )
)
def test_random_cv_shaped_text_never_crashes(lines):
    d = draft_of("\n".join(lines).encode(), "x.txt")
    check_spans(d)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=2000))
def test_damaged_pdf_never_crashes(noise, at):
    pdf = bytearray(cv_files.pdf_one_column())
    at = min(at, len(pdf))
    pdf[at : at + len(noise)] = noise
    d = draft_of(bytes(pdf), "bad.pdf")
    assert isinstance(d.errors, list)


# --- the contract on a real (small) taxonomy -----------------------------------------------------


@pytest.mark.django_db
def test_parse_resume_command_contract(cv_taxonomy, tmp_path):
    files = {
        "two.pdf": cv_files.pdf_two_columns(),
        "cv.docx": cv_files.docx_cv(),
        "cv.json": cv_files.json_resume(),
        "ler.json": cv_files.ler_rs(),
        "junk.bin": b"\x00\xff" * 500,
        "scan.pdf": cv_files.pdf_scanned(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    args = [str(tmp_path / n) for n in files] + [str(tmp_path / "missing.pdf")]
    out = io.StringIO()
    call_command("parse_resume", *args, stdout=out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["file"] for x in lines] == args
    by = {x["file"].rsplit("/", 1)[-1]: x for x in lines}
    assert [by[n]["format"] for n in ("two.pdf", "cv.docx", "cv.json", "ler.json")] == [
        "pdf",
        "docx",
        "json-resume",
        "ler-rs",
    ]
    for x in lines:
        assert set(x) >= {"file", "format", "name", "email", "skills", "experience", "credentials", "errors"}
        for s in x["skills"]:
            assert set(s) >= {"phrase", "uri", "label", "source", "span"}
            assert s["source"] in {"skills", "experience", "summary", "education", "certifications"}
        for e in x["experience"]:
            assert set(e) >= {"title", "organization", "start", "end", "skills"}
        for c in x["credentials"]:
            assert set(c) >= {"title", "issuer", "issued", "url"}
    two = by["two.pdf"]
    uris = {s["uri"] for s in two["skills"] if s["uri"]}
    assert {URI + "py", URI + "sql", URI + "tableau", URI + "en", URI + "ml"} <= uris
    assert URI + "tile" not in uris and URI + "nurse" not in uris
    assert two["name"] == "Jane Q. Doe" and two["email"] == "jane.doe@example.com"
    assert by["junk.bin"]["errors"] and by["junk.bin"]["skills"] == []
    assert by["scan.pdf"]["errors"] == [NO_TEXT_LAYER]
    assert by["missing.pdf"]["errors"] == ["no such file"]


@pytest.mark.django_db
def test_parse_resume_command_refuses_unusable_arguments(tmp_path):
    with pytest.raises(CommandError):
        call_command("parse_resume", str(tmp_path / "a.txt"), "--max-bytes", "0")


def test_a_listed_item_is_not_folded_into_a_concept_another_item_names():
    def resolve_all_to_english(phrases):
        return [{"uri": "u:en", "label": "english", "confidence": 0.9} for _ in phrases]

    d = parse(
        b"Skills\nCommunication\nLanguages: English\n", "x.txt", extract=fake_extract, resolve=resolve_all_to_english
    )
    # in the CV's order; the surer item (the verbatim label) keeps the concept
    assert [(s.phrase, s.uri) for s in d.skills] == [("Communication", None), ("English", "u:en")]


LER_FIXTURES = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "credentials" / "1edtech-dcpv-testfixtures"
)


@pytest.mark.skipif(not (LER_FIXTURES / "tcp-ler-rs").is_dir(), reason="../shared/data/credentials not present")
def test_hr_open_ler_rs_examples():
    """The 1EdTech/HR Open LER-RS v2 examples: trade names, narratives' lines, a certification carried as
    its Open Badge, an ongoing position."""
    d = draft_of((LER_FIXTURES / "tcp-ler-rs" / "LER-RS_V2_VCwrapper.json").read_bytes(), "vc.json")
    assert (d.format, d.name, d.email, d.phone) == (
        "ler-rs",
        "Gunilla Klein",
        "gunilla.klein@example.com",
        "+49 2032220202",
    )
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Corporate Project Manager", "AllSoftware", "2012-10", "2022-11")
    ]
    assert [(c.title, c.issuer, c.issued) for c in d.credentials] == [
        ("Product Management Certificate", "Cornell University", "2014-08")
    ]
    assert [s.phrase for s in d.skills] == ["Project Management"]
    d = draft_of((LER_FIXTURES / "tcp-ler-rs" / "LER-RS_V2_UC008_portability.json").read_bytes(), "uc8.json")
    assert [(e.title, e.organization, e.end) for e in d.experience] == [("Marketing Manager", "ABC Company", None)]
    assert [(c.title, c.issuer) for c in d.credentials] == [
        ("Digital Marketing Certificate", "American Council for Education (ACE)")
    ]


def test_certification_lines_and_skill_groups():
    text = (
        "Certifications\nBasic Life Support (BLS), Resuscitation Council UK, 2023\nTableau Desktop Specialist,\n"
        "Tableau, 2022\nPMP - Project Management Institute (2019)\n\nSkills\nFinance | Accounting, SQL\n"
        "Python | Tableau\n"
    )
    d = draft_of(text.encode(), "c.txt")
    assert [(c.title, c.issuer, c.issued) for c in d.credentials] == [
        ("Basic Life Support (BLS)", "Resuscitation Council UK", "2023"),
        ("Tableau Desktop Specialist", "Tableau", "2022"),
        ("PMP", "Project Management Institute", "2019"),
    ]
    # "Finance |" names the group of a table row; "Python | Tableau" lists two skills
    assert [s.phrase for s in d.skills if s.source == "skills"] == ["Accounting", "SQL", "Python", "Tableau"]


def test_json_resume_skill_group_names_are_not_skills():
    doc = {"basics": {"name": "A"}, "skills": [{"name": "Tools", "keywords": ["SQL"]}, {"name": "Python"}]}
    d = draft_of(json.dumps(doc).encode(), "a.json")
    assert sorted(s.phrase for s in d.skills) == ["Python", "SQL"]


def test_one_concept_per_written_span():
    def extract_many(text):
        if "English" not in text:
            return []
        s = text.index("English")
        return [
            {"uri": "u:en", "label": "English", "span": [s, s + 7], "text": "English", "confidence": 0.97},
            {"uri": "u:de", "label": "German", "span": [s, s + 7], "text": "English", "confidence": 0.6},
            {"uri": "u:read", "label": "understand written English", "span": [s, s + 7], "confidence": 0.9},
        ]

    d = parse(b"Skills\nEnglish\n\nSummary\nFluent in English.\n", "x.txt", extract=extract_many, resolve=no_resolve)
    assert [(s.uri, s.source) for s in d.skills] == [("u:en", "skills")]


# --- how sure a draft's concepts must be -------------------------------------------------------------


def _hits(text, table):
    """Extractor hits for the phrases of ``table`` ({phrase: (uri, label, confidence)}) found in ``text``."""
    out = []
    for phrase, (uri, label, conf) in table.items():
        at = text.find(phrase)
        if at >= 0:
            out.append({"uri": uri, "label": label, "span": [at, at + len(phrase)], "text": phrase, "confidence": conf})
    return out


def _resolver(table):
    """A normalizer answering ``table`` ({phrase: (uri, label, confidence, words)}), None otherwise."""

    def resolve(phrases):
        got = [table.get(p) for p in phrases]
        return [{"uri": g[0], "label": g[1], "confidence": g[2], "words": g[3]} if g else None for g in got]

    return resolve


def test_a_listed_item_names_one_skill():
    table = {"Microsoft": ("u:office", "use microsoft office", 0.93), "Office": ("u:soft", "office software", 0.68)}
    d = parse(
        b"Skills\nMicrosoft Office, SQL\n",
        "x.txt",
        extract=lambda t: _hits(t, table) + fake_extract(t),
        resolve=_resolver({"Microsoft Office": ("u:office", "use microsoft office", 0.97, ["microsoft", "offic"])}),
    )
    # one word inside the item ("Office") is not the skill; the normalizer reads the whole item
    assert [(s.phrase, s.uri) for s in d.skills] == [("Microsoft Office", "u:office"), ("SQL", "u:sql")]


def test_a_listed_item_named_word_for_word_needs_less_certainty():
    resolve = _resolver(
        {
            "Microsoft Office": ("u:office", "use microsoft office", 0.54, ["use", "microsoft", "offic"]),
            # as unsure, and not in the concept's words: no concept
            "Project coordination": ("u:eng", "coordinate engineering teams", 0.54, ["coordin", "engin", "team"]),
        }
    )
    d = parse(b"Skills\nMicrosoft Office, Project coordination\n", "x.txt", extract=lambda t: [], resolve=resolve)
    assert [(s.phrase, s.uri) for s in d.skills] == [("Microsoft Office", "u:office"), ("Project coordination", None)]


def test_a_one_word_compound_shares_the_words_of_its_label():
    resolve = _resolver({"Teamwork": ("u:team", "work in teams", 0.81, ["work", "team"])})
    d = parse(b"Skills\nTeamwork\n", "x.txt", extract=lambda t: [], resolve=resolve)
    assert [(s.phrase, s.uri) for s in d.skills] == [("Teamwork", "u:team")]


def test_a_one_word_name_needs_a_resembling_concept_or_near_certainty():
    resolve = _resolver(
        {
            "Figma": ("u:gimp", "GIMP (graphics editor software)", 0.84, ["gimp", "graphic", "editor"]),
            "Linux": ("u:os", "operating systems", 1.0, ["oper", "system", "linux"]),
            "Kubernetes": ("u:virt", "manage ICT virtualisation environments", 0.67, ["manag", "ict"]),
            "troubleshooting": ("u:ts", "troubleshoot", 0.7, ["troubleshoot"]),
            "English": ("u:en", "English", 0.99, ["english"]),
        }
    )
    d = parse(
        b"Skills\nFigma, Linux, Kubernetes, troubleshooting, English (fluent)\n",
        "x.txt",
        extract=lambda t: [],
        resolve=resolve,
    )
    assert [(s.phrase, s.uri) for s in d.skills] == [
        ("Figma", None),  # another product, by meaning only
        ("Linux", "u:os"),  # a label of that concept: the normalizer is certain
        ("Kubernetes", None),
        ("troubleshooting", "u:ts"),
        ("English (fluent)", "u:en"),  # the bracket qualifies the skill
    ]


def test_a_single_word_in_prose_needs_the_normalizer_to_agree():
    table = {
        "workplace": ("u:sanit", "workplace sanitation", 0.9),
        "Python": ("u:py", "Python (computer programming)", 0.9),
    }
    text = b"Experience\nDeveloper, Acme Ltd\n2019 - 2021\n- Kept the workplace tidy and wrote Python\n"
    agree = _resolver({"Python": ("u:py", "Python (computer programming)", 0.99, ["python"])})
    d = parse(text, "x.txt", extract=lambda t: _hits(t, table), resolve=agree)
    assert [(s.phrase, s.uri) for s in d.skills] == [("Python", "u:py")]
    assert [s.uri for s in d.experience[0].skills] == ["u:py"]


def test_each_section_keeps_concepts_at_its_own_confidence():
    from apps.candidates.resume.draft import PROSE_MIN

    conf = (PROSE_MIN["experience"] + PROSE_MIN["summary"]) / 2  # enough for a role, not for a summary
    assert PROSE_MIN["experience"] < conf < PROSE_MIN["summary"]
    table = {"data analysis": ("u:da", "data analysis", conf)}
    text = b"Summary\nI like data analysis.\n\nExperience\nAnalyst, Acme Ltd\n2019 - 2021\n- Did data analysis\n"
    d = parse(text, "x.txt", extract=lambda t: _hits(t, table), resolve=no_resolve)
    assert [(s.uri, s.source) for s in d.skills] == [("u:da", "experience")]


@pytest.mark.django_db
def test_parse_resume_output_is_a_candidates_resume_for_rank(cv_taxonomy, tmp_path):
    cv = tmp_path / "cv.txt"
    cv.write_text("Jane Doe\njane@example.com\n\nSkills\nPython, Tableau\n")
    out = io.StringIO()
    call_command("parse_resume", str(cv), stdout=out)
    draft = json.loads(out.getvalue())
    job, cands = tmp_path / "job.json", tmp_path / "c.jsonl"
    job.write_text(json.dumps({"id": "j", "skills": [{"name": "python programming", "required": True}]}))
    cands.write_text(json.dumps({"id": "jane", "resume": draft}) + "\n" + json.dumps({"id": "none"}) + "\n")
    out = io.StringIO()
    call_command("rank", "--job", str(job), "--candidates", str(cands), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["jane", "none"]
    (m,) = rows[0]["matches"]
    # the reader's concept counts by its label: the same concept as the job's phrase
    assert m["matched"] == "Python (computer programming)" and m["source"] == "self-declared (CV)"
    assert rows[0]["must_have_met"] is True


def test_a_certifications_level_after_a_dash_is_part_of_its_title():
    text = (
        "Certifications\nAWS Certified Solutions Architect – Associate（2021年）\nPMP - Project Management Institute\n"
    )
    d = draft_of(text.encode(), "c.txt")
    assert [(c.title, c.issuer, c.issued) for c in d.credentials] == [
        ("AWS Certified Solutions Architect – Associate", None, "2021"),
        ("PMP", "Project Management Institute", None),
    ]


_CV_LINES = [
    "Skills",
    "Experience",
    "Summary",
    "Education",
    "Certifications",
    "Data Analyst, Acme Ltd",
    "2019 - 2021",
    "Jan 2016 - Present",
    "Python, SQL, Tableau",
    "English (fluent); data analysis",
    "- Managed the store budget and weekly sales reports",
    "- Loaded and unloaded delivery vehicles for 12 clients",
    "- Built pipelines in Airflow and Python",
    "- Tools: Airflow, dbt, Snowflake",
    "- Prepared financial statements; managed budgets",
    "- did data analysis",
    "- 決済 API を設計・開発",
    "I like machine learning and python",
    "Tableau Desktop Specialist, Tableau, 2021",
    "BSc Mathematics, University of Leeds",
]


def _answers(phrase: str) -> dict | None:
    """A normalizer's answer that depends on the phrase alone (as the real one's does)."""
    words = re.findall(r"\w+", phrase.casefold())
    if not words:
        return None
    return {
        "uri": f"u:{words[-1]}",
        "label": " ".join(words[-2:]),
        "confidence": 0.55 + (sum(map(ord, phrase)) % 45) / 100,
        "words": words[-2:],
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_CV_LINES), max_size=30))
def test_batched_reading_gives_the_draft_the_direct_calls_give(lines):
    """from_document asks the extractor and the normalizer in a few batched calls (draft._Memo); its draft
    is the one that asking them call by call gives, and it asks no text or phrase twice."""
    from apps.candidates.resume import draft as draft_module
    from apps.candidates.resume.readers import read

    asked: dict[str, list[str]] = {"texts": [], "phrases": []}

    class Extract:
        def __call__(self, text):
            return self.many([text])[0]

        def many(self, texts):
            asked["texts"] += texts
            table = {w: (f"u:{w}", w, 0.6 + len(w) / 100) for w in ("python", "SQL", "data analysis", "budget")}
            return [_hits(t, table) + fake_extract(t) for t in texts]

    def resolve(phrases):
        asked["phrases"] += list(phrases)
        return [_answers(p) for p in phrases]

    doc = read("\n".join(lines).encode() or b" x", "cv.txt")
    direct = draft_module._from_document(doc, "cv.txt", extract=fake_extract_with(Extract()), resolve=resolve)
    asked = {"texts": [], "phrases": []}
    batched = draft_module.from_document(doc, "cv.txt", extract=Extract(), resolve=resolve)
    assert batched.as_dict(with_text=True) == direct.as_dict(with_text=True)
    assert batched.to_json() == direct.to_json()
    assert len(asked["texts"]) == len(set(asked["texts"])) and len(asked["phrases"]) == len(set(asked["phrases"]))


def fake_extract_with(extract):
    """``extract`` without its ``many``: asked one text at a time, as before batching."""
    return lambda text: extract(text)
