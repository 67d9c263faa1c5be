"""REST API v1 for skills: serializers, views and routes (mounted under /api/v1/ by config.api_urls)."""
