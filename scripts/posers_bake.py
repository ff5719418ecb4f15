"""Bake Posers motions in Blender without the UI.

    blender --background [file.blend] --python scripts/posers_bake.py -- ARGS
    python scripts/posers_bake.py ARGS          (with the pip ``bpy`` module)

Run with ``--help`` for the arguments.
"""

import sys
from pathlib import Path

# Use this checkout's package (the script may run inside a Blender that has never seen it).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posers_blender.blender import compat  # noqa: E402
from posers_blender.blender.headless import main  # noqa: E402

if __name__ == "__main__":
    compat.exit(main())  # sys.exit, except where the pip bpy 4.5 module would hang on the way out
