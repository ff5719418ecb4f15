"""Issue 12: the unit layer runs alone with ``-m "not slow and not blender"``; the motion/quality layer is ``slow``."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_motion_and_quality_tests_are_slow_and_cli_tests_are_not():
    paths = ["tests/quality/test_quality_suite.py", "tests/cli/test_errors.py", "tests/report/test_report.py"]
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "not slow", *paths],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    ids = [line for line in r.stdout.splitlines() if "::" in line]
    assert any(i.startswith("tests/cli/test_errors.py::") for i in ids), r.stdout
    assert not any(i.startswith(("tests/quality/", "tests/report/test_report.py::")) for i in ids), r.stdout
