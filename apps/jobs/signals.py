"""Events of the jobs app. Higher layers subscribe; this app never imports them.

- ``job_skills_changed.send(sender=Job, job=job)`` after a job's required skills were replaced (inside
  the transaction; subscribers that start work defer it to the commit themselves).
"""

from django.dispatch import Signal

job_skills_changed = Signal()
