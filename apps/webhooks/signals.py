"""Events the webhooks app turns into deliveries besides the lower apps' own signals
(apps.matching.signals, apps.credentials.signals), which apps.webhooks.receivers subscribes to.

- ``credential_verified.send(sender=Credential, credential=credential)`` when a credential's
  verification finished with status ``verified``; apps.webhooks.receivers sends it for each verified
  credential that apps.credentials.signals.credentials_imported announces.
"""

from django.dispatch import Signal

credential_verified = Signal()
