"""The catalog of credential offerings: one module per format, none of them needing Django.

- csv_layout: the documented CSV layout (the ``pathway`` contract), the one validation of an offering;
- ctdl: CTDL JSON-LD from the Credential Engine Registry (offerings and qualifications);
- ob3: Open Badges 3.0 Achievement definitions;
- qualifications: the qualifications offerings stack towards, as JSON.

Every format is turned into csv_layout's validated rows; the writes are in apps.credentials.services.
"""

from .common import FormatError
from .csv_layout import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SKILL_SEPARATOR,
    CatalogError,
    Offering,
    offerings_to_csv,
    parse_catalog,
    parse_catalog_rows,
    parse_row,
    read_catalog,
    read_catalog_rows,
)
from .ctdl import parse_ctdl
from .ob3 import parse_ob3_achievements
from .qualifications import ComponentDoc, QualificationDoc, parse_qualifications

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SKILL_SEPARATOR",
    "CatalogError",
    "ComponentDoc",
    "FormatError",
    "Offering",
    "QualificationDoc",
    "offerings_to_csv",
    "parse_catalog",
    "parse_catalog_rows",
    "parse_ctdl",
    "parse_ob3_achievements",
    "parse_qualifications",
    "parse_row",
    "read_catalog",
    "read_catalog_rows",
]
