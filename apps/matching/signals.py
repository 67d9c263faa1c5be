"""Events of the matching app. Higher layers subscribe (webhooks notify); this app never imports them.

- ``match_run_completed.send(sender=MatchRun, run=run)`` after the transaction that finished a run
  (status ``succeeded``) has committed.
- ``candidate_rescored.send(sender=Candidate, candidate=candidate, runs=[...])`` after commit, once per
  rescore of one candidate: ``runs`` are the new runs holding the candidate's new scores, one per open
  job (empty when no job was open). One signal for all the runs, so that a subscriber asks its own
  questions once (the webhooks ask whether anyone subscribed), not once per open job.
"""

from django.dispatch import Signal

match_run_completed = Signal()
candidate_rescored = Signal()
