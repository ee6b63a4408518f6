from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
