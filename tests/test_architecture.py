"""The layers of the apps (docs/architecture.md), as import-linter checks them in `make lint`.

The contracts in pyproject.toml hold for the code as it is, and they are not a formality: on a copy
of the project, one module with an import that breaks the layers (upward, between siblings, or
into the tests) makes `lint-imports` fail and name that import. And the typed hooks through which
a lower layer reaches a higher one are registered at start-up."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from indications import hooks as case_hooks
from providers import hooks as provider_hooks
from signals import selectors as signal_selectors
from signals.services import recheck_client

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "sddcase",
    "demo",
    "api",
    "monitor",
    "signals",
    "billing",
    "iwmo",
    "objections",
    "incidents",
    "letters",
    "providers",
    "indications",
    "accounts",
    "audit",
    "ui",
    "tests",
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The project's packages and pyproject.toml in a temporary directory."""
    copy = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_config_names_every_app():
    """Every package in the project root with an __init__.py is a root package of import-linter."""
    on_disk = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    config = (ROOT / "pyproject.toml").read_text()
    assert on_disk == set(PACKAGES)
    for package in PACKAGES:
        assert f'"{package}"' in config.split("[tool.importlinter]", 1)[1]


def test_the_code_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_the_copy_keeps_every_contract(project_copy):
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module, source, broken",
    [
        # upward: the provider domain reads the signals' models
        (
            "providers/upward_probe.py",
            "from signals.models import Signal\n",
            "providers is not allowed to import signals",
        ),
        # upward: the provider domain builds an iWmo message itself instead of through its hook
        (
            "providers/iwmo_probe.py",
            "from iwmo.toewijzing import queue_toewijzing\n",
            "providers is not allowed to import iwmo",
        ),
        # upward: the message exchange reads the signal engine
        ("iwmo/upward_probe.py", "import signals.models\n", "iwmo is not allowed to import signals"),
        # upward from the bottom layer: a presentation helper knows an app
        ("ui/upward_probe.py", "import monitor.selectors\n", "ui is not allowed to import monitor"),
        # upward, skipping layers: the audit trail reads the monitor
        ("audit/upward_probe.py", "import monitor.models\n", "audit is not allowed to import monitor"),
        # between siblings of one layer
        (
            "accounts/sibling_probe.py",
            "from audit.services import record_event\n",
            "accounts is not allowed to import audit",
        ),
        ("api/sibling_probe.py", "import demo.generator\n", "api is not allowed to import demo"),
        # into the tests
        (
            "signals/tests_probe.py",
            "from tests.factories import ClientFactory\n",
            "signals.tests_probe -> tests.factories",
        ),
    ],
)
def test_a_forbidden_import_breaks_the_contracts(project_copy, module, source, broken):
    probe = project_copy / module
    probe.write_text(source)
    try:
        result = lint_imports(project_copy)
    finally:
        probe.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
    assert f"{module.removesuffix('.py').replace('/', '.')} -> " in result.stdout


def test_the_signals_app_registers_its_hooks_at_start_up():
    assert recheck_client in case_hooks.case_changed_hook.callbacks
    source = provider_hooks._registered()
    assert source.counts is signal_selectors.open_sla_signal_counts
    assert source.listing is signal_selectors.open_sla_signal_listing


def test_without_a_source_the_provider_pages_say_what_is_missing(monkeypatch):
    monkeypatch.setattr(provider_hooks, "_source", [])
    with pytest.raises(ImproperlyConfigured, match="SignalsConfig.ready"):
        provider_hooks.open_sla_signal_counts([1])
    with pytest.raises(ImproperlyConfigured, match="SignalsConfig.ready"):
        provider_hooks.open_sla_signals_of(1, today=date(2026, 1, 1))
