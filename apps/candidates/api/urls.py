"""Routes for /api/v1/candidates/, /api/v1/candidates/import/ (synchronous),
/api/v1/candidates/imports/ (background imports with a status resource) and
/api/v1/credentials/upload/ (a credential verified and filed for a candidate)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .credential_views import CredentialUploadView
from .resume_views import resume_urlpatterns
from .rights_views import rights_urlpatterns
from .views import CandidateImportViewSet, CandidateViewSet

router = SimpleRouter()
# Registered first: "imports" must not be read as a candidate id (ids are digits anyway).
router.register("candidates/imports", CandidateImportViewSet, basename="candidate-import")
router.register("candidates", CandidateViewSet, basename="candidate")
# Before the router: "resumes" must not be read as a candidate id.
urlpatterns = resume_urlpatterns + router.urls
urlpatterns += rights_urlpatterns  # data export, erasure, demographics
urlpatterns += [path("credentials/upload/", CredentialUploadView.as_view(), name="credential-upload")]
