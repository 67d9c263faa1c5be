"""The catalog CSV layout (apps.credentials.catalog) and its import (catalog_import_csv)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.credentials.catalog import CatalogError, parse_catalog, read_catalog
from apps.credentials.models import CatalogOffering, CatalogOfferingSkill
from apps.credentials.services import catalog_import_csv
from apps.dashboard.demo import CATALOG_CSV
from apps.skills.models import Phrase

HEADER = "id,title,provider,level_framework,level_value,hours,skills,cost,delivery_mode,url,review_date\n"
VALID = HEADER + (
    "nz-py,Learn Python programming,Aotearoa Digital Academy,NZQF,2,60,Python programming;debug code,"
    ",online,,2027-06-30\n"
    'eu-sql,"Databases, SQL and you",Rheinland UAS,EQF,5,75,SQL; PostgreSQL ;sql,120.50,online,'
    "https://example.org/sql,\n"
    "jm-ai,Introduction to AI,Japan Open Learning Consortium,,,20,machine learning concepts,0,,,\n"
)


def _rows(text: str):
    return parse_catalog(text)


class TestParse:
    def test_valid_rows_with_optional_columns(self):
        py, sql, ai = _rows(VALID)
        assert (py.id, py.level_framework, py.level_value, py.hours, py.eqf) == ("nz-py", "NZQF", 2, 60, 2)
        assert py.skills == ["Python programming", "debug code"]
        assert str(py.review_date) == "2027-06-30"
        assert sql.title == "Databases, SQL and you"
        # trimmed, and "SQL"/"sql" are one skill (the vocabulary folds case)
        assert sql.skills == ["SQL", "PostgreSQL"]
        assert (sql.cost, sql.url, sql.eqf) == (Decimal("120.50"), "https://example.org/sql", 5)
        assert (ai.level_framework, ai.level_value, ai.eqf, ai.cost) == ("", None, None, Decimal("0"))

    def test_only_the_seven_contract_columns_are_needed(self):
        text = "id,title,provider,level_framework,level_value,hours,skills\nx,T,P,EQF,4,10,a;b\n"
        (o,) = _rows(text)
        assert (o.cost, o.delivery_mode, o.url, o.review_date) == (None, "", "", None)

    def test_header_case_bom_blank_lines_and_extra_columns(self):
        text = "\ufeffID,Title,Provider,Level_Framework,Level_Value,Hours,Skills,notes\n\nx,T,P,eqf,4,60.0,a,hello\n\n"
        (o,) = _rows(text)
        assert (o.level_framework, o.hours, o.row) == ("EQF", 60, 3)

    def test_unknown_framework_is_kept_without_eqf_equivalent(self):
        (o,) = _rows("id,title,provider,level_framework,level_value,hours,skills\nx,T,P,JQF,3,10,a\n")
        assert (o.level_framework, o.level_value, o.eqf) == ("JQF", 3, None)

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            ("x,T,P,NZQF,2,abc,a", "row 3: hours: 'abc' is not a whole number"),
            ("x,T,P,NZQF,2,12.5,a", "row 3: hours: '12.5' is not a whole number"),
            ("x,T,P,NZQF,2,0,a", "row 3: hours: must be at least 1"),
            ("x,T,P,NZQF,2,,a", "row 3: hours: must not be empty"),
            (",T,P,NZQF,2,10,a", "row 3: id: must not be empty"),
            ("x,,P,NZQF,2,10,a", "row 3: title: must not be empty"),
            ("x,T,P,NZQF,11,10,a", "row 3: level_value: NZQF has levels 1-10, got 11"),
            ("x,T,P,EQF,9,10,a", "row 3: level_value: EQF has levels 1-8, got 9"),
            ("x,T,P,,4,10,a", "row 3: level_framework: is required when level_value is given"),
            ("x,T,P,EQF,,10,a", "row 3: level_value: is required when level_framework is given"),
            ("x,T,P,EQF,four,10,a", "row 3: level_value: 'four' is not a whole number"),
            ("x,T,P,EQF,4,10, ; ;", "row 3: skills: needs at least one skill"),
            ("x,T,P,EQF,4,10,a,-5", "row 3: cost: must be a non-negative number"),
            ("x,T,P,EQF,4,10,a,lots", "row 3: cost: 'lots' is not a number"),
            ("x,T,P,EQF,4,10,a,,,ftp://x", "row 3: url: 'ftp://x' is not an http(s) URL"),
            ("x,T,P,EQF,4,10,a,,,,31/12/2027", "row 3: review_date: '31/12/2027' is not an ISO date"),
            ("x,T,P,EQF,4,10,a,,,,,surplus", "row 3: has 12 cells but the header has 11 columns"),
        ],
    )
    def test_bad_row_names_row_and_column(self, row, message):
        text = HEADER + "ok,T,P,EQF,4,10,a\n" + row + "\n"
        with pytest.raises(CatalogError) as e:
            _rows(text)
        assert str(e.value).startswith(message)
        assert e.value.row == 3

    def test_duplicate_id_names_both_rows(self):
        with pytest.raises(CatalogError, match=r"row 4: id: duplicate id 'a' \(first on row 2\)"):
            _rows(HEADER + "a,T,P,,,10,s\nb,T,P,,,10,s\na,T,P,,,10,s\n")

    def test_row_numbers_follow_the_file_lines_across_quoted_newlines(self):
        text = HEADER + 'a,"two\nlines",P,,,10,s\nb,T,P,,,ten,s\n'
        with pytest.raises(CatalogError, match=r"^row 4: hours"):
            _rows(text)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "the file is empty"),
            ("id,title,provider,hours\n", "row 1: missing column(s) level_framework, level_value, skills"),
            ("id,title,provider,level_framework,level_value,hours,skills,hours\n", "row 1: duplicate column(s) hours"),
        ],
    )
    def test_bad_header(self, text, message):
        with pytest.raises(CatalogError) as e:
            _rows(text)
        assert str(e.value).startswith(message)

    def test_shipped_demo_catalog_is_valid(self):
        offerings = read_catalog(CATALOG_CSV)
        assert 40 <= len(offerings) <= 60
        assert {o.level_framework for o in offerings} >= {"NZQF", "EQF", ""}
        by_title = {o.title: o for o in offerings}
        # register examples the demo is modelled on (DOMAIN.md)
        python = by_title["Learn Python programming"]
        assert (python.level_value, python.hours) == (2, 60)
        assert (
            by_title["Neonatal intensive care nursing practice"].level_value,
            by_title["Neonatal intensive care nursing practice"].hours,
        ) == (8, 310)


@pytest.mark.django_db
class TestImport:
    def test_valid_csv_is_imported_with_skills_as_phrases(self):
        res = catalog_import_csv(lines=VALID.splitlines(keepends=True))
        assert (res.created, res.updated, res.unchanged, res.skills) == (3, 0, 0, 5)
        py = CatalogOffering.objects.get(external_id="nz-py")
        assert (py.title, py.provider, py.level_framework, py.level_value, py.hours) == (
            "Learn Python programming",
            "Aotearoa Digital Academy",
            "NZQF",
            2,
            60,
        )
        assert str(py.review_date) == "2027-06-30" and py.delivery_mode == "online"
        sql = CatalogOffering.objects.get(external_id="eu-sql")
        assert sql.cost == Decimal("120.50") and sql.url == "https://example.org/sql"
        texts = sorted(sql.skills.values_list("text", "phrase__text"))
        assert texts == [("PostgreSQL", "postgresql"), ("SQL", "sql")]

    def test_reimport_updates_in_place_and_replaces_skills(self):
        catalog_import_csv(lines=VALID.splitlines(keepends=True))
        ids_before = dict(CatalogOffering.objects.values_list("external_id", "id"))
        changed = VALID.replace("Learn Python programming", "Learn Python programming (2026 edition)")
        changed = changed.replace("Python programming;debug code", "Python programming;unit testing")
        res = catalog_import_csv(lines=changed.splitlines(keepends=True))
        assert (res.created, res.updated, res.unchanged) == (0, 1, 2)
        assert CatalogOffering.objects.count() == 3
        assert dict(CatalogOffering.objects.values_list("external_id", "id")) == ids_before
        py = CatalogOffering.objects.get(external_id="nz-py")
        assert py.title == "Learn Python programming (2026 edition)"
        assert sorted(py.skills.values_list("text", flat=True)) == ["Python programming", "unit testing"]
        assert CatalogOfferingSkill.objects.count() == 5

    def test_offerings_missing_from_a_later_file_are_kept(self):
        catalog_import_csv(lines=VALID.splitlines(keepends=True))
        catalog_import_csv(lines=[HEADER, "new,New one,P,EQF,4,10,s\n"])
        assert CatalogOffering.objects.count() == 4

    def test_bad_row_writes_nothing(self):
        catalog_import_csv(lines=VALID.splitlines(keepends=True))
        before = (
            list(CatalogOffering.objects.order_by("id").values()),
            CatalogOfferingSkill.objects.count(),
            Phrase.objects.count(),
        )
        bad = VALID.replace("Learn Python programming", "Renamed") + "zz,T,P,EQF,4,abc,brand new skill\n"
        with pytest.raises(CatalogError, match=r"^row 5: hours: 'abc' is not a whole number"):
            catalog_import_csv(lines=bad.splitlines(keepends=True))
        after = (
            list(CatalogOffering.objects.order_by("id").values()),
            CatalogOfferingSkill.objects.count(),
            Phrase.objects.count(),
        )
        assert after == before  # not even the valid rows' changes or the new phrases

    def test_import_from_path(self, tmp_path):
        f = tmp_path / "catalog.csv"
        f.write_text("\ufeff" + VALID, encoding="utf-8")
        assert catalog_import_csv(path=f).created == 3

    def test_needs_exactly_one_source(self):
        with pytest.raises(ValueError, match="exactly one"):
            catalog_import_csv()
