"""App-level test set-up: the roll-up cache starts empty in every test (ids
and audit ids repeat across rolled-back tests)."""

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
