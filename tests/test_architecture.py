"""The wall around Blender, and motions loading the same way in every install."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

BLOCK_BPY = """
import sys, importlib, pkgutil
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('bpy', 'mathutils', 'bmesh'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import posers_blender
from posers_blender import registry
mods = ['posers_blender.' + m.name for m in pkgutil.walk_packages(posers_blender.__path__, '') if not m.name.startswith(('blender', '__main__'))]
for m in mods:
    importlib.import_module(m)
progs = registry.discover()
assert progs, 'no motions'
print(len(mods), sorted(progs))
"""


def test_engine_cli_and_motions_import_without_blender():
    r = subprocess.run([sys.executable, "-c", BLOCK_BPY], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "idle-breathe" in r.stdout


@pytest.mark.slow
def test_wheel_ships_motions_inside_the_package_and_they_load(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if r.returncode != 0:
        r = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(REPO)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("posers_blender-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "posers_blender/motions/idle_breathe.py" in names
    assert not any(n.startswith(("tests/", "motions/")) for n in names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    # run from an unrelated folder so the repository is not on the path
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import posers_blender, sys; from posers_blender import registry; "
            "print(posers_blender.__file__); print(sorted(registry.discover()))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert str(target) in r.stdout and "idle-breathe" in r.stdout


def test_package_code_imports_itself_relatively():
    """Blender installs the extension as bl_ext.<repo>.posers_blender, so `import posers_blender` would fail there."""
    import re

    bad = re.compile(r"^\s*(from|import) posers_blender\b", re.M)
    offenders = []
    for path in list((REPO / "posers_blender").rglob("*.py")) + list((REPO / "motions").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        code = re.sub(r'"""(.|\n)*?"""', "", text)  # docstrings may show usage examples
        if bad.search(code):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
