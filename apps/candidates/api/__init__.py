"""REST API v1 for candidates: serializers, views and routes (mounted under /api/v1/ by config.api_urls)."""
