"""The dependency audit (.ci/audit_dependencies.py, `make audit`, CI): a known vulnerability with a fixed
version fails; one without a fix is reported; what no vulnerability service could look up (offline) is
reported as not audited and fails only when the service is required."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)
verdict = audit_dependencies.verdict

CLEAN = {"name": "Django", "version": "5.2.19", "vulns": []}
FIXABLE = {"name": "lxml", "version": "5.3.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.3.1"]}]}
UNFIXED = {"name": "tqdm", "version": "4.70.1", "vulns": [{"id": "GHSA-x", "fix_versions": []}]}
SKIPPED = {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_no_vulnerability_passes():
    code, lines = verdict([CLEAN], require_service=False)
    assert code == 0 and lines == ["1 dependencies audited, 0 not audited."]


def test_a_vulnerability_with_a_fix_fails():
    code, lines = verdict([CLEAN, FIXABLE], require_service=False)
    assert code == 1 and "VULNERABLE lxml 5.3.0: PYSEC-1, fixed in 5.3.1" in lines


def test_a_vulnerability_without_a_fix_is_reported_but_passes():
    code, lines = verdict([UNFIXED], require_service=False)
    assert code == 0 and "known, no fix yet: tqdm 4.70.1: GHSA-x" in lines


def test_offline_the_skipped_dependencies_are_named_and_fail_only_when_required():
    code, lines = verdict([CLEAN, SKIPPED], require_service=False)
    assert code == 0 and any(line.startswith("NOT AUDITED") and "celery" in line for line in lines)
    assert verdict([CLEAN, SKIPPED], require_service=True)[0] == 1


def test_a_package_audited_once_is_not_also_skipped():
    """The pins and the installed environment report the same package; audited wins."""
    code, lines = verdict([{**SKIPPED, "name": "Django"}, CLEAN], require_service=True)
    assert code == 0 and lines == ["1 dependencies audited, 0 not audited."]
