import pytest


@pytest.fixture
def world(db):
    """A facilitator's cohort with one answered organisation, another facilitator's cohort,
    and an organisation outside both (``tests.support.CohortWorld``)."""
    from tests.support import CohortWorld

    return CohortWorld()
