"""Test settings: the real settings with a fast password hasher."""

from .settings import *  # noqa: F403

# PBKDF2 costs ~0.3 s a user; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
