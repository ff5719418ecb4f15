"""The Blender adapter: the only package that imports bpy and mathutils.

``avatar``/``pose_transfer`` read armatures into the engine's normalised space and
back, ``bake`` writes Actions and NLA strips, ``vrm`` talks to the VRM add-on,
``builtin`` builds the built-in avatar, ``headless`` is the batch command,
``props``/``ops``/``ui``/``preview``/``addon`` are the add-on.
"""
