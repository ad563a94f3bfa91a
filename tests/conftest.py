import pytest
from django.core.cache import caches

from principles.services import frameworks_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped frameworks loaded once into each test database, as `make run` loads them:
    a test's transaction rolls back to them, so no test pays for parsing and writing them.
    A test with real transactions empties the tables afterwards; the next test that needs a
    framework loads them again (``tests.factories.framework``)."""
    with django_db_blocker.unblock():
        frameworks_load()


@pytest.fixture
def no_frameworks(db):
    """A library with no framework in it yet, for tests of loading them (undone with the
    test's transaction)."""
    from principles.models import Framework

    Framework.objects.all().delete()


@pytest.fixture
def frameworks(db):
    """The frameworks shipped in principles/frameworks/, loaded as `make run` loads them."""
    from principles.models import Framework

    if not Framework.objects.exists():
        frameworks_load()
    return {fw.slug: fw for fw in Framework.objects.all()}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test with the database starts with empty caches: no counts (password reset limits
    live in the database's cache table, which flushing between tests leaves alone), and
    nothing derived from rows of an earlier test (whose ids SQLite gives out again)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        return  # no database, so nothing can be in the cache
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _exact_figures(request, monkeypatch):
    """Tests of the figures' arithmetic (marked ``exact_figures``) read the counts before
    their noise (``assessments.figures.noise``), to check sums worked by hand. Every other
    test, those of the promise among them, reads the figures as they are published."""
    if request.node.get_closest_marker("exact_figures"):
        monkeypatch.setattr(
            "assessments.figures.noise.perturbed", lambda counts, statement, people: list(counts)
        )


@pytest.fixture
def world(db):
    """Two organisations: one with a lead, a member, an open round and a link; another
    whose people must see none of it (``tests.support.World``)."""
    from tests.support import World

    return World()


@pytest.fixture
def log_baseline(db, request):
    """What the world's own set-up wrote to the activity log (the rounds it opened and
    closed, as a lead would) is set aside: ``tests.support.new_log`` then holds only what
    the test's own calls wrote."""
    from tests.support import remember_log

    if "world" in request.fixturenames:
        request.getfixturevalue("world")
    remember_log()
