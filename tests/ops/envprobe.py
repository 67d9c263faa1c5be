"""Run as a script: import config.settings.production with the given environment and print, as JSON,
whether it imported, the error if not, and every environment variable the settings read.

The reads are recorded by replacing django-environ's view of the environment (``Env.ENVIRON``, which
config/settings/production.py uses for ``*_FILE`` too) before the settings are imported.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


class RecordingEnviron(dict):
    reads: set[str] = set()

    def __getitem__(self, key):
        self.reads.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.reads.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.reads.add(key)
        return super().get(key, default)


def main() -> None:
    import environ

    recorder = RecordingEnviron(os.environ)
    environ.Env.ENVIRON = recorder
    result: dict = {"ok": True, "error": None}
    try:
        import config.settings.production as prod

        result["settings"] = {
            "DEBUG": prod.DEBUG,
            "SECRET_KEY_LEN": len(prod.SECRET_KEY),
            "DB_ENGINE": prod.DATABASES["default"]["ENGINE"],
            "CELERY_TASK_ALWAYS_EAGER": prod.CELERY_TASK_ALWAYS_EAGER,
            "LOG_FORMATTER": prod.LOGGING["handlers"]["console"]["formatter"],
        }
    except Exception as e:  # reported to the test, which asserts on it
        result = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    result["reads"] = sorted(recorder.reads)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
