"""CV duties: role bullets read as verb + object phrases, the tools and lists a line names, Japanese
duties, and PDF table rows whose cells wrap over several lines."""

from __future__ import annotations

from apps.candidates.resume import parse
from apps.candidates.resume.draft import DUTY_MIN
from apps.candidates.resume.duties import base_forms, duties, japanese_duties, named_items
from apps.candidates.resume.readers import join_wrapped_cells, read


def readings(line: str) -> list[tuple[str, ...]]:
    return [d.phrases for d in duties(line)]


def test_base_forms_of_verbs():
    assert base_forms("Managed") == ["manage"]
    assert base_forms("trained") == ["train"]
    assert base_forms("planned") == ["plan"]
    assert base_forms("Carried") == ["carry"]
    assert base_forms("Led") == ["lead"]
    assert base_forms("wrote") == ["write"]
    assert base_forms("Managing") == ["manage"]
    # an "-ed" form of a verb the list lacks: both spellings, for the normalizer to try
    assert base_forms("sandblasted") == ["sandblast", "sandblaste"]
    assert base_forms("vehicles") == [] and base_forms("payroll") == []


def test_a_bullet_falls_into_its_duties():
    assert readings("- Managed payroll for 240 employees") == [("manage payroll", "manage payroll for 240 employees")]
    assert readings("Prepared financial statements and managed budgets") == [
        ("prepare financial statements",),
        ("manage budgets",),
    ]
    # verbs without an object share the next one's; objects in a list share the verb before them
    assert readings("Loaded and unloaded delivery vehicles") == [
        ("load delivery vehicles",),
        ("unload delivery vehicles",),
    ]
    assert readings("Supervise picking, packing and dispatch") == [
        ("supervise picking",),
        ("supervise packing",),
        ("supervise dispatch",),
    ]
    assert readings("Plan and deliver lessons") == [("plan lessons",), ("deliver lessons",)]
    # a phrasal verb keeps its particle across the list; a compound noun stays whole
    assert readings("Carry out wound care and infection control") == [
        ("carry out wound care",),
        ("carry out infection control",),
    ]
    assert readings("Enforce health and safety procedures") == [("enforce health and safety procedures",)]
    # clauses cut at ";", a number ends the object
    assert readings("Designed bridge foundations; managed a budget of INR 40 crore") == [
        ("design bridge foundations",),
        ("manage a budget", "manage a budget of INR 40 crore"),
    ]
    # no verb, no duty: a noun phrase is the extractor's to read
    assert readings("Quality control of concrete") == []
    assert readings("Deployed to cloud services") == [("deploy to cloud services",)]


def test_a_duty_after_a_lead_in_or_written_as_an_action_noun():
    assert readings("- Responsible for managing payroll for 200 staff") == [
        ("manage payroll", "manage payroll for 200 staff")
    ]
    assert readings("Preparation of monthly management accounts and VAT returns") == [
        ("prepare monthly management accounts",),
        ("prepare VAT returns",),
    ]
    assert readings("In charge of the maintenance of fire alarm systems") == [("maintain fire alarm systems",)]
    # an "-ing" form after "and" is a second verb sharing the object
    assert readings("Involved in recruiting and training new staff") == [("recruit new staff",), ("train new staff",)]
    # the action noun's offsets: the duty points at the CV's words
    text = "Supervision of night shifts"
    (d,) = duties(text)
    assert d.phrases == ("supervise night shifts",) and text[d.start : d.end] == text
    # a noun that names no action of a known verb begins no duty
    assert readings("Station of the month") == []
    # a pronoun and adverbs before the verb
    assert readings("I successfully managed a team of five") == [("manage a team", "manage a team of five")]
    # "<object> <action noun>": the duty written as a noun phrase
    assert readings("Payroll processing for 200 staff") == [("process Payroll",)]
    assert readings("Data analysis and reporting") == [("analyse Data",)]
    text = "- Key account management"
    (d,) = duties(text)
    assert d.phrases == ("manage Key account",) and text[d.start : d.end] == "Key account management"
    # a clause that opens with a verb is verb + object only; a noun phrase naming no action is none
    assert readings("Supervise picking") == [("supervise picking",)]
    assert readings("Customer service") == [] and readings("Team leadership") == []


def test_a_duty_points_at_its_words():
    text = "- Negotiated supplier contracts"
    (d,) = duties(text)
    assert text[d.start : d.end] == "Negotiated supplier contracts" and d.object == "supplier contracts"


def test_named_items_after_a_colon_and_a_tool_cue():
    line = "Tools: Airflow, dbt, Snowflake"
    assert [i for i, _, _ in named_items(line)] == ["Airflow", "dbt", "Snowflake"]
    line = "Built nightly ETL pipelines in Airflow and Python, moving data to Snowflake"
    items = named_items(line)
    assert [i for i, _, _ in items] == ["Airflow", "Python", "Snowflake"]
    assert all(line[s:e] == i for i, s, e in items)
    # a lower-case word after "in" is no tool
    assert named_items("Worked with developers in agile sprints") == []


def test_japanese_duties():
    line = "- Go と PostgreSQL で決済 API を設計・開発"
    ds = japanese_duties(line)
    assert [d.phrases for d in ds] == [("決済 APIを設計",), ("決済 APIを開発",)]
    assert line[ds[0].start : ds[0].end] == "決済 API を設計・開発"
    # a light verb ("担当": in charge of) leaves the object to name the skill
    assert [d.phrases for d in japanese_duties("5名のチームをリードし、コードレビューを担当")] == [
        ("チームをリード",),
        ("コードレビュー",),
    ]
    assert [d.phrases for d in japanese_duties("単体テストの整備")] == [("単体テストを整備",)]
    assert japanese_duties("7年の経験") == []
    # "<noun>の<head>": the noun that says what the head is of is a second reading of the object
    ds = japanese_duties("社内PCへのソフトウェアのインストールを担当")
    assert [d.phrases for d in ds] == [("インストール", "ソフトウェアのインストール")]
    assert "社内PCへのソフトウェアのインストールを担当"[ds[0].start : ds[0].end] == "ソフトウェアのインストールを担当"


def _resolver(table):
    def resolve(phrases):
        got = [table.get(p) for p in phrases]
        return [{"uri": g[0], "label": g[1], "confidence": g[2], "words": g[3]} if g else None for g in got]

    return resolve


CV = (
    b"Experience\nWarehouse Lead, Acme Ltd\n2019 - 2023\n"
    b"- Managed payroll for 240 employees\n- Operated reach trucks\n- Supervised contractors\n- Counted stock\n"
)


def test_a_duty_gets_the_concept_whose_labels_name_it():
    resolve = _resolver(
        {
            "manage payroll": ("u:pay", "manage payroll", 0.99, ["manag", "payroll"]),
            # near concepts in other words: another truck, another verb
            "operate reach trucks": ("u:dump", "operate dump truck", 0.98, ["oper", "dump", "truck"]),
            "supervise contractors": ("u:audit", "audit contractors", 0.99, ["audit", "contractor"]),
            # the right words, but the normalizer is not sure
            "count stock": ("u:stock", "count stock", DUTY_MIN - 0.05, ["count", "stock"]),
        }
    )
    d = parse(CV, "cv.txt", extract=lambda t: [], resolve=resolve)
    assert [(s.phrase, s.uri, s.source) for s in d.skills] == [("Managed payroll", "u:pay", "experience")]
    (role,) = d.experience
    assert [s.uri for s in role.skills] == ["u:pay"]
    s = d.skills[0]
    assert d.text[s.span[0] : s.span[1]] == s.phrase


def test_a_duty_names_a_concept_by_its_object_or_is_a_case_of_its_label():
    cv = (
        b"Experience\nElectrician, Acme Ltd\n2019 - 2023\n"
        b"- Read wiring diagrams\n- Wrote unit tests\n- Organised induction training\n- Handled grievances\n"
        b"- Checked invoices\n"
    )
    resolve = _resolver(
        {
            # a knowledge concept, or one whose verb is a light one: the object names it
            "read wiring diagrams": ("u:wd", "electrical wiring diagrams", 0.9, ["electr", "wir", "diagram"]),
            "write unit tests": ("u:ut", "perform software unit testing", 0.75, ["perform", "softwar", "unit", "test"]),
            # the label whole in the duty's words: the duty is a case of that skill
            "organise induction training": ("u:ot", "organise training", 0.7, ["organis", "train"]),
            # another object, the same verb: not named
            "handle grievances": ("u:hc", "handle customer complaints", 0.95, ["handl", "custom", "complaint"]),
            # the object named but another action: not named
            "check invoices": ("u:inv", "issue sales invoices", 0.95, ["issu", "sal", "invoic"]),
        }
    )
    d = parse(cv, "cv.txt", extract=lambda t: [], resolve=resolve)
    assert [s.uri for s in d.skills] == ["u:wd", "u:ut", "u:ot"]
    assert DUTY_MIN < 0.7  # named duties are kept at the normalizer's own floor


def test_a_helping_verb_and_how_often_do_not_name_the_skill():
    cv = (
        b"Experience\nTechnician, Acme Ltd\n2019 - 2023\n"
        b"- Assisted with repairs of alarm systems\n- Prepared monthly reports\n"
    )
    resolve = _resolver(
        {
            "assist with repairs of alarm systems": (
                "u:alarm",
                "repair home alarm systems",
                0.9,
                ["repair", "home", "alarm", "system"],
            ),
            "prepare monthly reports": ("u:rep", "prepare financial reports", 0.9, ["prepar", "financi", "report"]),
        }
    )
    d = parse(cv, "cv.txt", extract=lambda t: [], resolve=resolve)
    assert [s.uri for s in d.skills] == ["u:alarm", "u:rep"]


def test_the_reading_that_names_the_duty_wins_over_a_surer_one_that_does_not():
    cv = b"Experience\nNurse, Acme Ltd\n2019 - 2023\n- Managed payroll for 240 employees\n"
    resolve = _resolver(
        {
            "manage payroll": ("u:pay", "manage payroll", 0.7, ["manag", "payroll"]),
            "manage payroll for 240 employees": ("u:hire", "hire new personnel", 0.9, ["hire", "new", "personnel"]),
        }
    )
    d = parse(cv, "cv.txt", extract=lambda t: [], resolve=resolve)
    assert [s.uri for s in d.skills] == ["u:pay"]


def test_the_extractor_reads_the_duties_one_per_line():
    seen: list[str] = []

    def extract(text):
        seen.append(text)
        at = text.find("operate forklifts")
        if at < 0:
            return []
        return [
            {
                "uri": "u:fork",
                "label": "operate forklift",
                "span": [at, at + 17],
                "text": text[at : at + 17],
                "confidence": 0.9,
            }
        ]

    cv = b"Experience\nDriver, Acme Ltd\n2019 - 2023\n- Operated forklifts and trained new staff\n"
    d = parse(cv, "cv.txt", extract=extract, resolve=lambda ps: [None for _ in ps])
    assert "operate forklifts\ntrain new staff" in seen
    assert [(s.phrase, s.uri) for s in d.skills] == [("Operated forklifts", "u:fork")]


def _row(*cells: str) -> str:
    """A layout-mode line with cells at columns 0, 18, 38 and 58."""
    return "".join(c.ljust(20) if i < 3 else c for i, c in enumerate(cells)).rstrip()


def test_wrapped_table_cells_are_joined_under_their_row():
    cell = " " * 60  # a line holding only a line of the fourth cell (column 60)
    # cells centred vertically: the row's line sits among its wrapped cell's lines
    centred = [
        _row("Period", "Role", "Employer", "Main duties"),
        cell + "Designed bridge",
        _row("2018 - Present", "Engineer", "Larsen Infra", "foundations; managed a"),
        cell + "budget; inspected sites",
        cell + "Supervised contractors;",
        _row("2013 - 2018", "Site Engineer", "Gammon Ltd"),
        cell + "read drawings",
        "",
        "Skills",
    ]
    assert join_wrapped_cells(centred) == [
        _row("Period", "Role", "Employer", "Main duties"),
        "2018 - Present   Engineer   Larsen Infra",
        "Designed bridge foundations; managed a budget; inspected sites",
        "2013 - 2018   Site Engineer   Gammon Ltd",
        "Supervised contractors; read drawings",
        "",
        "Skills",
    ]
    # cells aligned to the top: the row's line holds the wrapped cell's first line
    top = [
        _row("2018 - Present", "Engineer", "Larsen Infra", "Designed bridge"),
        cell + "foundations",
        _row("2013 - 2018", "Site Engineer", "Gammon Ltd", "Supervised"),
        cell + "contractors",
    ]
    assert join_wrapped_cells(top) == [
        "2018 - Present   Engineer   Larsen Infra",
        "Designed bridge foundations",
        "2013 - 2018   Site Engineer   Gammon Ltd",
        "Supervised contractors",
    ]
    # no table: nothing moves
    prose = ["Summary", cell + "an indented line", "another"]
    assert join_wrapped_cells(prose) == prose


def test_a_pdf_table_with_a_wrapped_duties_cell_reads_as_roles():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in ["Jane Doe", "jane@example.com", "", "Experience"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    rows = [
        ("Period", "Role", "Employer", "Main duties"),
        (
            "2018 - Present",
            "Engineer",
            "Larsen Infra",
            "Designed bridge foundations; managed a budget; inspected sites",
        ),
        ("2013 - 2018", "Site Engineer", "Gammon Ltd", "Supervised contractors; interpreted engineering drawings"),
    ]
    with pdf.table() as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    data = bytes(pdf.output())
    text = read(data, "t.pdf").text
    assert "Designed bridge foundations; managed a budget; inspected sites" in text
    d = parse(data, "t.pdf", extract=lambda t: [], resolve=lambda ps: [None for _ in ps])
    assert [(e.title, e.organization, e.start, e.end) for e in d.experience] == [
        ("Engineer", "Larsen Infra", "2018", None),
        ("Site Engineer", "Gammon Ltd", "2013", "2018"),
    ]
    assert "inspected sites" in d.experience[0].description
