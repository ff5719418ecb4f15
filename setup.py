"""Package layout: the top-level motions/ folder ships as posers_blender.motions (see posers_blender/registry.py)."""

from setuptools import find_packages, setup

packages = find_packages(include=["posers_blender", "posers_blender.*"])
motion_packages = ["posers_blender.motions"] + ["posers_blender.motions." + p for p in find_packages(where="motions")]
setup(
    packages=packages + motion_packages,
    package_dir={"posers_blender.motions": "motions"},
    # fitted statistics (engine/fitted.py) and their licence notices
    package_data={"posers_blender": ["data/*.json", "data/NOTICE"]},
)
