import pytest
from django.core.cache import cache

from principles.services import frameworks_load


@pytest.fixture
def frameworks(db):
    """The frameworks shipped in principles/frameworks/, loaded as `make run` loads them."""
    frameworks_load()
    from principles.models import Framework

    return {fw.slug: fw for fw in Framework.objects.all()}


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "admin_client", "django_user_model"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test with the database starts with no counts in the cache (password reset limits
    live there; the cache is a database table, which flushing between tests leaves alone)."""
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if uses_database:
        cache.clear()
