"""Routes for /api/v1/credentials/upload/."""

from django.urls import path

from .views import CredentialUploadView

urlpatterns = [
    path("credentials/upload/", CredentialUploadView.as_view(), name="credential-upload"),
]
