"""Events of the candidates app. Higher layers subscribe; this app never imports them.

- ``candidate_erasing.send(sender=Candidate, candidate=candidate)`` inside the erasure's transaction,
  just before the candidate row (and everything that cascades from it) is deleted.
- ``candidates_stored.send(sender=Candidate, candidates=[...], docs=[...], phrase_ids={...})`` inside
  apps.candidates.services.candidates_create's transaction, once the candidates and their evidence
  are written: ``docs[i]`` is the interchange document of ``candidates[i]`` (matching stores their
  employer assessments from it); ``phrase_ids`` maps each normalized phrase of the documents to its id.
- ``candidate_evidence_changed.send(sender=Candidate, candidate=candidate)`` after commit, when the
  candidate's own skills or experience were added, changed or removed (the seeker's profile page, a
  confirmed CV): matching rescores the candidate.
"""

from django.dispatch import Signal

candidate_erasing = Signal()
candidates_stored = Signal()
candidate_evidence_changed = Signal()
