"""Stage and build the Blender extension zip: ``python scripts/build_extension.py [--out DIR] [--no-validate]``.

Zip layout (what Blender's extension platform expects): ``blender_manifest.toml``
and the package's ``__init__.py`` at the root, the package's modules beside it,
the repository's ``motions/`` as ``motions/`` inside, and the bundled
``opensimplex`` wheel under ``wheels/``. No tests, scripts or command line.
The package imports itself relatively (guarded by tests/test_architecture.py),
because Blender imports the extension as ``bl_ext.<repo>.posers_blender``. The result is validated with Blender's own
``blender_ext.py`` (shipped inside the bpy wheel) when it can be found.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PKG = REPO / "posers_blender"
SKIP_DIRS = {"__pycache__", "cli"}
SKIP_FILES = {"__main__.py"}


def blender_ext_tool() -> Path | None:
    try:
        import bpy  # noqa: F401 - only to locate the wheel's files
    except ImportError:
        return None
    # bpy/__init__.py lives in <site-packages>/bpy/<version>/scripts/modules/bpy/
    base = Path(sys.modules["bpy"].__file__).resolve().parents[3]
    found = sorted(base.glob("scripts/addons_core/bl_pkg/cli/blender_ext.py"))
    return found[0] if found else None


def stage(dest: Path, wheel_dir: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "blender_manifest.toml", dest / "blender_manifest.toml")
    for src in PKG.rglob("*"):
        rel = src.relative_to(PKG)
        if any(part in SKIP_DIRS for part in rel.parts) or src.name in SKIP_FILES or src.suffix == ".pyc":
            continue
        target = dest / rel
        if src.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    shutil.copytree(REPO / "motions", dest / "motions", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    manifest = tomllib.loads((REPO / "blender_manifest.toml").read_text(encoding="utf-8"))
    (dest / "wheels").mkdir()
    for wheel in manifest.get("wheels", []):
        name = Path(wheel).name
        cached = wheel_dir / name
        if not cached.exists():
            wheel_dir.mkdir(parents=True, exist_ok=True)
            spec = "==".join(name.split("-")[:2])
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-d",
                    str(wheel_dir),
                    spec,
                ],
                check=True,
            )
        shutil.copy2(cached, dest / "wheels" / name)
    return dest


def build(out_dir: Path, validate: bool = True) -> Path:
    staged = stage(REPO / "build" / "extension", REPO / "build" / "wheels")
    manifest = tomllib.loads((staged / "blender_manifest.toml").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / f"{manifest['id']}-{manifest['version']}.zip"
    if zip_path.exists():
        zip_path.unlink()
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(staged.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(staged).as_posix())
    tool = blender_ext_tool()
    if validate and tool is not None:
        subprocess.run([sys.executable, str(tool), "validate", str(zip_path)], check=True)
        print(f"validated {zip_path.name} with {tool.name}")
    elif validate:
        print("note: Blender's blender_ext.py not found (no bpy module); the zip was not validated", file=sys.stderr)
    return zip_path


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(REPO / "dist"), help="output folder (default dist/)")
    p.add_argument("--no-validate", action="store_true", help="skip validation with Blender's blender_ext.py")
    args = p.parse_args()
    print(f"wrote {build(Path(args.out), validate=not args.no_validate)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
