"""CV files generated for tests: PDFs (one and two columns, a table, a scan without text) with fpdf2,
DOCX with python-docx, JSON Resume and LER-RS documents."""

from __future__ import annotations

import io
import json

HEADER = ["Jane Q. Doe", "jane.doe@example.com  |  +44 20 7946 0958  |  London"]
LEFT = [
    "Skills",
    "Python, SQL, Tableau",
    "Excel; Communication",
    "Languages: English",
    "",
    "Certifications",
    "Tableau Desktop Specialist, Tableau, 2021",
    "",
    "Education",
    "BSc Mathematics",
    "University of Leeds, 2012 - 2015",
]
RIGHT = [
    "Experience",
    "Senior Data Analyst, Acme Corp",
    "Jan 2020 - Present",
    "- Built dashboards in Tableau.",
    "- Automated reports with Python.",
    "",
    "Data Analyst | Beta Ltd | 2016 - 2019",
    "- Wrote SQL queries for data analysis.",
    "",
    "Summary",
    "Analyst who likes machine learning.",
]


def pdf_one_column(lines: list[str] | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines if lines is not None else HEADER + [""] + LEFT + [""] + RIGHT:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_two_columns() -> bytes:
    """Header across the page, then Skills/Certifications/Education on the left and Experience on the
    right, drawn line by line alternately (the order a naive reader would mix up)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 15
    for line in HEADER:
        pdf.text(15, y, line)
        y += 6
    y += 6
    for i in range(max(len(LEFT), len(RIGHT))):
        if i < len(LEFT) and LEFT[i]:
            pdf.text(15, y, LEFT[i])
        if i < len(RIGHT) and RIGHT[i]:
            pdf.text(110, y, RIGHT[i])
        y += 6
    return bytes(pdf.output())


def pdf_table() -> bytes:
    """Experience as a table (period | role | organization) under a heading."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in HEADER + ["", "Experience"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    rows = [("2020 - Present", "Data Engineer", "Gamma GmbH"), ("2017 - 2020", "Developer", "Delta Inc")]
    with pdf.table(col_widths=(40, 60, 60)) as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.cell(0, 6, "", new_x="LMARGIN", new_y="NEXT")
    for line in ["Skills", "Python, SQL"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_scanned() -> bytes:
    """A page with a drawing and no text at all (what a scanner makes, less the image)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def docx_cv(*, table: bool = True) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Kenji Sato")
    d.add_paragraph("kenji.sato@example.jp")
    d.add_heading("Experience", level=1)
    d.add_paragraph("Backend Developer at Foo KK")
    d.add_paragraph("Apr 2019 - Mar 2023")
    d.add_paragraph("Maintained SQL databases and Python services.")
    if table:
        d.add_heading("Skills", level=1)
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "Languages"
        t.cell(0, 1).text = "Python, SQL"
        t.cell(1, 0).text = "Tools"
        t.cell(1, 1).text = "Tableau"
    d.add_heading("資格", level=1)
    d.add_paragraph("Tableau Desktop Specialist, Tableau, 2022")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def json_resume() -> bytes:
    return json.dumps(
        {
            "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
            "basics": {
                "name": "Ana Lima",
                "email": "ana@example.org",
                "phone": "+55 11 5555 0100",
                "summary": "I enjoy machine learning.",
            },
            "work": [
                {
                    "name": "Acme Corp",
                    "position": "Data Analyst",
                    "startDate": "2019-04-01",
                    "endDate": "2022-06-30",
                    "highlights": ["Wrote SQL every day", "Built Tableau dashboards"],
                }
            ],
            "education": [{"institution": "USP", "area": "Statistics", "studyType": "BSc", "endDate": "2018"}],
            "certificates": [
                {
                    "name": "Tableau Desktop Specialist",
                    "issuer": "Tableau",
                    "date": "2021-03-01",
                    "url": "https://example.org/c/1",
                }
            ],
            "skills": [{"name": "Programming", "keywords": ["Python", "SQL"]}],
            "languages": [{"language": "English", "fluency": "Fluent"}],
        }
    ).encode()


def ler_rs() -> bytes:
    return json.dumps(
        {
            "type": "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json",
            "person": {"name": {"given": "Lia", "family": "Andrews", "formattedName": "Lia Andrews"}},
            "communication": {
                "email": [{"address": "lia@example.com"}],
                "phone": [{"formattedNumber": "+1 555 0100 222"}],
            },
            "narratives": [{"content": "Analyst focused on data analysis."}],
            "employmentHistories": [
                {
                    "organization": {"name": "Acme Corp"},
                    "positionHistories": [
                        {
                            "title": "Data Engineer",
                            "start": "2020-01",
                            "end": "2023-05",
                            "descriptions": ["Ran Python pipelines."],
                            "competencies": [{"name": "SQL"}],
                        }
                    ],
                }
            ],
            "educationAndLearnings": [
                {"institution": {"name": "MIT"}, "educationDegrees": [{"name": "MSc Data Science"}]}
            ],
            "certifications": [
                {
                    "name": "Tableau Desktop Specialist",
                    "issuingAuthority": {"name": "Tableau"},
                    "effectiveTimePeriod": {"start": "2021-03-01"},
                    "link": "https://example.com/t",
                }
            ],
            "skills": [{"name": "Python"}, {"name": "machine learning"}],
        }
    ).encode()
