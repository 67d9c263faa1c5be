"""Routes for a job's adverse-impact report (JSON and CSV)."""

from .views import fairness_urlpatterns

urlpatterns = fairness_urlpatterns
