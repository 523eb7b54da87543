"""Shared by the API tests: every test starts with empty throttle counters (the cache)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    cache.clear()
