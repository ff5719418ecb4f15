"""Registration: one ordered tuple of classes, registered in order and unregistered in reverse.

The parameter PropertyGroups are generated from the motion schemas at
registration (one class per motion), then the per-object settings
(``Object.posers``), operators, panel, menu entries and persistent handlers.
"""

from __future__ import annotations

import bpy

from .. import registry
from . import alive_ops, compat, ops, preview, props, scene_ops, ui

_classes: tuple[type, ...] = ()
_settings: type | None = None


def build_classes() -> tuple[type, ...]:
    global _settings
    param_classes = {mid: props.param_group(mid, prog.schema) for mid, prog in sorted(registry.discover().items())}
    container, settings = props.settings_class(param_classes)
    _settings = settings
    return (
        *param_classes.values(),
        container,
        settings,
        *ops.CLASSES,
        *alive_ops.CLASSES,
        *scene_ops.CLASSES,
        *ui.CLASSES,
    )


def register() -> None:
    global _classes
    compat.check_version()
    _classes = build_classes()
    for cls in _classes:
        bpy.utils.register_class(cls)
    bpy.types.Object.posers = bpy.props.PointerProperty(  # type: ignore[attr-defined]  # our runtime pointer
        type=_settings, name="Posers", description="Posers motion settings"
    )
    bpy.types.VIEW3D_MT_object_animation.append(ui.menu_entries)  # type: ignore[arg-type]  # draw(self, context)
    preview.add_handlers()


def unregister() -> None:
    global _classes
    preview.remove_handlers()
    bpy.types.VIEW3D_MT_object_animation.remove(ui.menu_entries)  # type: ignore[arg-type]
    del bpy.types.Object.posers  # type: ignore[attr-defined]
    for cls in reversed(_classes):
        bpy.utils.unregister_class(cls)
    _classes = ()
