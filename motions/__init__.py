"""Motion programs. Each module defines ``PROGRAM``, a MotionProgram instance; see posers_blender.registry."""
