"""Routes for /api/v1/jobs/ (match runs and shortlists of a job live in apps.matching.api.urls)."""

from rest_framework.routers import SimpleRouter

from .views import JobViewSet

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
urlpatterns = router.urls
