import pytest
from django.core.cache import cache

from principles.services import frameworks_load


@pytest.fixture
def frameworks(db):
    """The frameworks shipped in principles/frameworks/, loaded as `make run` loads them."""
    frameworks_load()
    from principles.models import Framework

    return {fw.slug: fw for fw in Framework.objects.all()}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no counts in the cache (password reset limits live there)."""
    cache.clear()
    yield
    cache.clear()
