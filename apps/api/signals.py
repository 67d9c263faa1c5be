"""Domain events other apps send; apps.api.receivers turns them into webhook deliveries.

Senders pass the model class as ``sender`` and the object as a keyword argument:

- ``match_run_completed.send(sender=MatchRun, run=run)`` at the end of a successful run;
- ``candidate_rescored.send(sender=Candidate, candidate=candidate, run=run)`` when one candidate's
  scores were recomputed (``run`` optional: the run holding the new scores);
- ``credential_verified.send(sender=Credential, credential=credential)`` when a credential's
  verification finished with status ``verified`` (sent by apps.api.receivers for each verified
  credential that apps.credentials.signals.credentials_imported announces).
"""

from django.dispatch import Signal

match_run_completed = Signal()
candidate_rescored = Signal()
credential_verified = Signal()
