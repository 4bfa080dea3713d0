import pytest

from caseworker.services.centre import OpenSession
from tests.upstream.harness import review_off, server, upstream_url  # noqa: F401 (fixtures)


@pytest.fixture
def centre(centre: OpenSession) -> OpenSession:
    """The shared centre with review off: sync tests expect changes to go up right away
    (the review tests build their own centre with review on)."""
    return review_off(centre)
