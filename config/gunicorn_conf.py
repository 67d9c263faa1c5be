"""gunicorn settings (``gunicorn config.wsgi -c config/gunicorn_conf.py``): each worker loads the skill
model in the background as it starts (apps.skills.warmup), whether or not the app was preloaded."""


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    from django.apps import apps

    if apps.ready:  # preloaded in the master: its warm-up thread did not survive the fork
        from apps.skills.warmup import warmup_after_fork

        warmup_after_fork()
