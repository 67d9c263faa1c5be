"""The webhooks are driven over the API: the API tests' clients and rate-limit reset apply here too."""

from tests.api.conftest import _fresh_rate_limits, api, client_for  # noqa: F401 - fixtures used by name
