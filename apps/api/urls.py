"""API v1 router: each app contributes its own routes from its ``api/urls.py``."""
from django.urls import include, path

app_name = "api"
urlpatterns: list = []
