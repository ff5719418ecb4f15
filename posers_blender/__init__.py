"""Posers for Blender: believable procedural motion for VRM avatars.

The engine (``posers_blender.engine``), the humanoid tables
(``posers_blender.humanoid``), the motion programs (``posers_blender.motions``,
mapped from the repository's ``motions/`` folder) and the command line never
import Blender. Only ``posers_blender.blender`` does, and only when Blender
calls :func:`register`.
"""

__version__ = "0.1.0"


def register() -> None:
    """Blender entry point: registers the add-on's classes (Blender-side code loads only here)."""
    from .blender import addon

    addon.register()


def unregister() -> None:
    from .blender import addon

    addon.unregister()
