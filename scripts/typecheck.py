"""Type-check the package as it is installed: motions/ staged inside it as posers_blender.motions.

The motion programs use relative imports (``from ..engine import quat``) that only resolve once
motions/ sits inside the package, as it does in the wheel and the extension zip. Checking the
repository layout directly would leave every motion import unresolved (Any), so we stage a copy.
The Blender adapter is excluded here; scripts/typecheck_blender.sh checks it against fake-bpy-module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="posers-typecheck-") as tmp:
        stage = Path(tmp)
        shutil.copytree(REPO / "posers_blender", stage / "posers_blender", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(
            REPO / "motions", stage / "posers_blender" / "motions", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copy(REPO / "pyproject.toml", stage / "pyproject.toml")
        r = subprocess.run([sys.executable, "-m", "mypy", "posers_blender"], cwd=stage)
        return r.returncode


if __name__ == "__main__":
    sys.exit(main())
