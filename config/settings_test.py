"""Test settings: the real settings with a fast password hasher."""

import os as _os
import secrets as _secrets

# The tests do not run through the `nghiquyet` command, which makes the key file:
# one key for this run, in the environment, so that child processes share it.
_os.environ.setdefault("SECRET_KEY", _secrets.token_urlsafe(50))

from .settings import *  # noqa: E402, F403

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

# What `nghiquyet` makes on its first run (WhiteNoise warns without it); the
# tests do not start through it.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
