"""Render a few Workbench frames of a baked motion and tile them into one PNG.

python scripts/render_contact_sheet.py --out docs/contact_sheet.png [--vrm FILE] [--motion ID] [--closeup head]
    [--view side|front] [--frames 150,156,162]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bpy  # noqa: E402
import numpy as np  # noqa: E402

from posers_blender.blender import avatar, bake, builtin, vrm  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--vrm")
    p.add_argument("--motion", action="append", help="motion id (repeatable; default idle-breathe)")
    p.add_argument("--frames", default="1,60,120,180,240,300", help="frames per motion, comma-separated")
    p.add_argument("--size", type=int, default=200, help="tile width in pixels (height 1.5x)")
    p.add_argument("--columns", type=int, default=6, help="tiles per row")
    p.add_argument(
        "--closeup", metavar="BONE", help="frame this humanoid bone up close (e.g. head) instead of the body"
    )
    p.add_argument(
        "--view",
        choices=("three-quarter", "side", "front"),
        default="three-quarter",
        help="body camera: three-quarter front (default), side (from the avatar's left) or front; it follows the hips",
    )
    args = p.parse_args()
    bpy.ops.wm.read_factory_settings(use_empty=True)
    vrm.ensure_addon()
    obj = vrm.import_vrm(args.vrm) if args.vrm else builtin.build()
    av = avatar.load(obj)
    actions = [
        bake.bake(av, bake.BakeOptions(m, seed=1, seconds=12.0, fps=30.0, face=False)).action
        for m in (args.motion or ["idle-breathe"])
    ]
    scene = bpy.context.scene
    scene.render.engine = "BLENDER_WORKBENCH"
    scene.display.shading.light = "STUDIO"
    scene.display.shading.color_type = "MATERIAL" if not args.vrm else "TEXTURE"
    scene.render.resolution_x = args.size
    scene.render.resolution_y = int(args.size * 1.5)
    scene.render.film_transparent = False
    h = av.health.height or 1.6
    cam = bpy.data.objects.new("Cam", bpy.data.cameras.new("Cam"))
    scene.collection.objects.link(cam)
    cam.rotation_euler = (np.radians(88), 0, np.radians(19))
    cam.data.lens = 50
    scene.camera = cam
    hips = obj.pose.bones[av.mapping["hips"]]
    tiles = []
    with tempfile.TemporaryDirectory() as tmp:
        for a, action in enumerate(actions):
            obj.animation_data.action = action
            obj.animation_data.action_slot = action.slots[0]
            for f in [int(x) for x in args.frames.split(",")]:
                scene.frame_set(f)
                if args.closeup:
                    # a three-quarter view of the bone from the avatar's front right, 0.45 H away
                    c = obj.matrix_world @ obj.pose.bones[av.mapping[args.closeup]].head
                    cam.location = (c.x - h * 0.18, c.y - h * 0.42, c.z - h * 0.02)
                    cam.rotation_euler = (c - cam.location).to_track_quat("-Z", "Y").to_euler()
                else:
                    # VRM avatars face -Y in Blender; the camera keeps the hips in the middle of the frame
                    c = obj.matrix_world @ hips.head
                    if args.view == "side":
                        cam.location = (c.x + h * 2.8, c.y, h * 0.5)
                        cam.rotation_euler = (np.radians(90), 0, np.radians(90))
                    elif args.view == "front":
                        cam.location = (c.x, c.y - h * 2.8, h * 0.5)
                        cam.rotation_euler = (np.radians(90), 0, 0)
                    else:
                        cam.location = (c.x + h * 0.9, c.y - h * 2.6, h * 0.6)
                scene.render.filepath = f"{tmp}/a{a}_f{f:04d}.png"
                bpy.ops.render.render(write_still=True)
                img = bpy.data.images.load(scene.render.filepath)
                px = np.array(img.pixels[:]).reshape(img.size[1], img.size[0], 4)
                tiles.append(px)
                bpy.data.images.remove(img)
    while len(tiles) % args.columns:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.concatenate(tiles[i : i + args.columns], axis=1) for i in range(0, len(tiles), args.columns)]
    sheet = np.concatenate(rows[::-1], axis=0)  # Blender images start at the bottom row
    out = bpy.data.images.new("sheet", sheet.shape[1], sheet.shape[0])
    out.pixels[:] = sheet.ravel()
    out.filepath_raw = str(Path(args.out).resolve())
    out.file_format = "PNG"
    out.save()
    print(f"wrote {args.out} ({len(tiles)} frames)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
