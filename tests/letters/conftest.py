import pytest

from letters.models import letter_storage


@pytest.fixture(autouse=True)
def letters_in_tmp(tmp_path):
    """The letters' PDFs go to the test's own directory."""
    storage = letter_storage()
    saved = dict(storage.__dict__)
    location = str(tmp_path / "letters")
    storage.__dict__.update(base_location=location, location=location)
    yield location
    storage.__dict__.clear()
    storage.__dict__.update(saved)
