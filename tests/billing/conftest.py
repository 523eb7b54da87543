"""The billing message tests share the iWmo tests' fixtures: the optional official XSD check
(IWMO_XSD_DIR) and deliveries in process."""

from tests.iwmo.conftest import tasks_in_process, xsd_dir  # noqa: F401
