"""The demo data set (``python manage.py seed_demo``): catalog, jobs, an ESCO subset, generated candidates.

Data files live beside this module so the product needs nothing outside the project at run time.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
CATALOG_CSV = DEMO_DIR / "catalog.csv"
JOBS_JSON = DEMO_DIR / "jobs.json"
ESCO_DIR = DEMO_DIR / "esco"
