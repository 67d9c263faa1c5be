"""Events of the credentials app. Higher layers subscribe (matching rescores, webhooks notify);
this app never imports them.

- ``credentials_imported.send(sender=Credential, candidate=candidate, credentials=[...])`` after the
  transaction that stored new credentials for one candidate has committed.
"""

from django.dispatch import Signal

credentials_imported = Signal()
