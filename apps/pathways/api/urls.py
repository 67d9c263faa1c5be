"""Routes for a candidate's gap and pathway for a job, and the jobs within their reach."""

from .views import pathway_urlpatterns

urlpatterns = pathway_urlpatterns
