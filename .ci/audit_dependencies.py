"""pip-audit over the pinned requirements (requirements.txt, exactly as pinned) and over the installed
virtualenv (which adds the dependencies of the dependencies): exit 1 on a known vulnerability that has a
fixed version, so CI fails until the pin is raised. A known vulnerability without a fix is reported but
does not fail (there is nothing to upgrade to; judge it and pass --ignore-vuln ID when accepted).

pip-audit asks a vulnerability service (PyPI's JSON API, or OSV with AUDIT_SERVICE=osv). A dependency it
could not look up (offline, or a package that is not on PyPI) is listed as not audited; that fails only
with AUDIT_REQUIRE_SERVICE=1, so a closed network does not block CI, and says so loudly instead.

Usage: .venv/bin/python .ci/audit_dependencies.py [extra pip-audit arguments, e.g. --ignore-vuln GHSA-...]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def audit(arguments: list[str]) -> list[dict]:
    """The dependencies pip-audit reports (JSON), each with its vulnerabilities or its skip reason."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        command = [str(PIP_AUDIT), "--progress-spinner", "off", "-f", "json", "-o", str(report), *arguments]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if not report.exists():  # pip-audit itself failed (not: found a vulnerability)
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(2)
        return json.loads(report.read_text())["dependencies"]


def verdict(dependencies: list[dict], *, require_service: bool) -> tuple[int, list[str]]:
    """The exit code and the report's lines for pip-audit's dependencies."""
    lines, failed = [], False
    seen: dict[str, dict] = {}  # by name: an audited report of a package wins over a skipped one
    for dependency in dependencies:
        name = dependency["name"].lower()
        if name not in seen or "skip_reason" in seen[name]:
            seen[name] = dependency
    audited = [d for d in seen.values() if "skip_reason" not in d]
    skipped = [d for d in seen.values() if "skip_reason" in d]
    for dependency in audited:
        for vulnerability in dependency.get("vulns", []):
            fixes = vulnerability.get("fix_versions") or []
            label = f"{dependency['name']} {dependency['version']}: {vulnerability['id']}"
            if fixes:
                failed = True
                lines.append(f"VULNERABLE {label}, fixed in {', '.join(fixes)}")
            else:
                lines.append(f"known, no fix yet: {label}")
    lines.append(f"{len(audited)} dependencies audited, {len(skipped)} not audited.")
    if skipped:
        names = ", ".join(sorted(f"{d['name']} {d.get('version') or ''}".strip() for d in skipped))
        lines.append(f"NOT AUDITED (no vulnerability service reached, or not on PyPI): {names}")
        if require_service:
            failed = True
    return (1 if failed else 0), lines


def main(extra: list[str]) -> int:
    service = ["-s", os.environ["AUDIT_SERVICE"]] if os.environ.get("AUDIT_SERVICE") else []
    pinned = audit(["-r", "requirements.txt", "--no-deps", "--disable-pip", *service, *extra])
    installed = audit(["--skip-editable", *service, *extra])
    code, lines = verdict(pinned + installed, require_service=os.environ.get("AUDIT_REQUIRE_SERVICE") == "1")
    sys.stdout.write("\n".join(lines) + "\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
