"""Routes for match runs, a job's runs, its shortlist, per-candidate explanations and employer assessments."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .assessment_views import CandidateAssessmentsView
from .pool_views import PoolSearchView
from .views import ExplanationView, JobMatchRunsView, MatchRunViewSet, ShortlistView

router = SimpleRouter()
router.register("match-runs", MatchRunViewSet, basename="match-run")

urlpatterns = [
    path("pool-search/", PoolSearchView.as_view(), name="pool-search"),
    path("jobs/<int:job_id>/match-runs/", JobMatchRunsView.as_view(), name="job-match-runs"),
    path("jobs/<int:job_id>/shortlist/", ShortlistView.as_view(), name="job-shortlist"),
    path(
        "jobs/<int:job_id>/candidates/<int:candidate_id>/explanation/",
        ExplanationView.as_view(),
        name="job-candidate-explanation",
    ),
    path(
        "candidates/<int:candidate_id>/assessments/", CandidateAssessmentsView.as_view(), name="candidate-assessments"
    ),
    *router.urls,
]
