"""The one collection every empty Posers makes lives in: targets, landmarks, props and the gaze target."""

from __future__ import annotations

import bpy

COLLECTION = "Posers Targets"


def collection() -> bpy.types.Collection:
    """The "Posers Targets" collection, created and linked to the scene when missing."""
    coll = bpy.data.collections.get(COLLECTION)
    if coll is None:
        coll = bpy.data.collections.new(COLLECTION)
        bpy.context.scene.collection.children.link(coll)
    return coll
