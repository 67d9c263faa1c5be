"""``create_api_key --org SLUG [--scopes read,write]``: print a new API key once."""

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Organization
from apps.accounts.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an organization and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--scopes", default="read,write", help="comma-separated: read, write")
        parser.add_argument("--name", default="", help="a label to recognise the key by")

    def handle(self, *args, **opts):
        org = Organization.objects.filter(slug=opts["org"]).first()
        if org is None:
            raise CommandError(f"no organization with slug {opts['org']!r}")
        scopes = [s.strip() for s in opts["scopes"].split(",") if s.strip()]
        try:
            _, raw = api_key_create(organization=org, scopes=scopes, name=opts["name"])
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(raw)
