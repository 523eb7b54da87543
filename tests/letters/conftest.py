import pytest


@pytest.fixture(autouse=True)
def tasks_in_process(eager):
    """The PDF is rendered by a task after commit: in-process in these tests, also when the test
    run has a broker (CI on Redis)."""
    yield
