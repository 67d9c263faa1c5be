"""Dashboard views, split by audience (recruiter, seeker); apps.dashboard.urls maps them."""

from .common import home
from .recruiter import (
    candidate_detail,
    candidate_reveal_view,
    job_detail,
    jobs_list,
    run_detail,
    run_progress,
    run_start,
    shortlist,
    shortlist_csv,
    shortlist_newer,
    shortlist_scarcity,
)
from .seeker import seeker_home, seeker_job, seeker_jobs

__all__ = [
    "candidate_detail",
    "candidate_reveal_view",
    "home",
    "job_detail",
    "jobs_list",
    "run_detail",
    "run_progress",
    "run_start",
    "seeker_home",
    "seeker_job",
    "seeker_jobs",
    "shortlist",
    "shortlist_csv",
    "shortlist_newer",
    "shortlist_scarcity",
]
