import pytest

from principles.services import frameworks_load


@pytest.fixture
def frameworks(db):
    """The frameworks shipped in principles/frameworks/, loaded as `make run` loads them."""
    frameworks_load()
    from principles.models import Framework

    return {fw.slug: fw for fw in Framework.objects.all()}
