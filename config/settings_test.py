"""Test settings: the real settings with a fast password hasher."""

from .settings import *  # noqa: F403

# PBKDF2 costs ~0.3 s a user; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile

    # A file, not the in-memory default: threads in the concurrency tests
    # then get WAL and the busy timeout as in production, where the shared
    # in-memory cache fails at once with "database table is locked".
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"nghiquyet-test-{os.getpid()}.sqlite3")
    }
