"""Events of the candidates app. Higher layers subscribe; this app never imports them.

- ``candidate_erasing.send(sender=Candidate, candidate=candidate)`` inside the erasure's transaction,
  just before the candidate row (and everything that cascades from it) is deleted.
"""

from django.dispatch import Signal

candidate_erasing = Signal()
