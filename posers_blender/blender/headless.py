"""The batch bake: ``posers bake``, ``python scripts/posers_bake.py`` and ``blender --background --python`` share this.

Arguments after a ``--`` (Blender's convention) are the command's own; without
``--`` every argument after the script is. Errors the user can fix end with one
line and exit status 2; the scene is saved only after everything succeeded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..engine.params import ParamError
from ..engine.program import MotionError

USAGE_EPILOG = """examples:
  python scripts/posers_bake.py --motion idle-breathe --seconds 10 --out out/idle.blend --bvh out/idle.bvh
  blender --background scene.blend --python scripts/posers_bake.py -- --vrm avatar.vrm --motion idle-breathe --nla
"""


class UserError(Exception):
    """A mistake the user can fix (printed as one line)."""


def script_args(argv: Sequence[str]) -> list[str]:
    """The command's own arguments from a full ``sys.argv``.

    ``blender ... --python script.py -- ARGS`` -> ARGS; ``python script.py ARGS`` -> ARGS.
    """
    argv = list(argv)
    if "--" in argv:
        return argv[argv.index("--") + 1 :]
    return argv[1:]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--vrm", metavar="FILE", help="VRM 0.x/1.0 avatar to import (default: the built-in avatar)")
    p.add_argument(
        "--armature", metavar="NAME", help="use this armature object of the open .blend instead of importing"
    )
    p.add_argument(
        "--motion",
        action="append",
        metavar="ID",
        help="motion id (repeatable: the first is the base, the rest additive layers; see --layout)",
    )
    p.add_argument("--all", action="store_true", help="bake every motion (implies --layout sequence)")
    p.add_argument("--layout", choices=("stack", "sequence"), default="stack", help="how several motions combine")
    p.add_argument("--seconds", type=float, default=10.0, help="clip length in seconds (default 10)")
    p.add_argument("--fps", type=float, default=30.0, help="frames per second (default 30)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="motion parameter (repeatable; applies to the first motion)",
    )
    p.add_argument("--params", metavar="PRESET.json", help="JSON preset for the first motion (--set wins)")
    p.add_argument("--out", metavar="FILE.blend", help="save the scene to this .blend")
    p.add_argument("--vrma", metavar="FILE", help="export VRM Animation (needs VRM 1.0 humanoid data)")
    p.add_argument("--bvh", metavar="FILE", help="export BVH with Blender's exporter")
    p.add_argument("--nla", action="store_true", help="push each bake to its own NLA track")
    p.add_argument(
        "--reduce-keys",
        type=float,
        metavar="DEG",
        nargs="?",
        const=0.5,
        help="sparse Bezier keys within DEG degrees (default 0.5 when given without a value)",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing output files")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="posers_bake",
        description="Bake Posers motions onto a VRM (or the built-in avatar) in Blender.",
        epilog=USAGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(p)
    return p


def _check_outputs(args: argparse.Namespace) -> None:
    for flag, suffix in (("out", ".blend"), ("vrma", ".vrma"), ("bvh", ".bvh")):
        value = getattr(args, flag)
        if not value:
            continue
        path = Path(value)
        if path.suffix.lower() != suffix:
            raise UserError(f"--{flag} '{path}' must end in {suffix}")
        if path.exists() and not args.force:
            raise UserError(f"'{path}' already exists; pass --force to overwrite it")
        if not path.parent.exists():
            raise UserError(f"folder '{path.parent}' does not exist; create it first")


def run(args: argparse.Namespace) -> int:
    """Do the bake described by parsed arguments. Raises UserError/ParamError/MotionError on user mistakes."""
    import bpy

    from .. import registry
    from . import avatar as avatar_mod
    from . import bake, builtin, export, vrm

    _check_outputs(args)
    ids = sorted(registry.discover()) if args.all else (args.motion or ["idle-breathe"])
    layout = "sequence" if args.all else args.layout
    programs = [registry.get(m) for m in ids]
    first_params: dict = {}
    if args.params:
        first_params.update(programs[0].schema.load_preset(args.params))
    first_params.update(programs[0].schema.parse_assignments(args.assignments))
    programs[0].schema.validate(first_params)

    if args.armature:
        obj = bpy.data.objects.get(args.armature)
        if obj is None or obj.type != "ARMATURE":
            raise UserError(f"no armature object named '{args.armature}' in the open file")
    elif args.vrm:
        try:
            obj = vrm.import_vrm(args.vrm)
        except (vrm.ImportFailed, vrm.VrmAddonMissing) as exc:
            raise UserError(str(exc)) from None
    else:
        try:
            vrm.ensure_addon()
        except vrm.VrmAddonMissing as exc:
            print(f"posers_bake: note: {exc}; the built-in avatar gets no VRM data (no --vrma)", file=sys.stderr)
        obj = builtin.build()
    try:
        av = avatar_mod.load(obj)
    except avatar_mod.NotHumanoid as exc:
        raise UserError(str(exc)) from None

    if args.vrma and av.spec != "1.0":
        what = "VRM 0.x" if av.spec == "0.0" else "not a VRM avatar"
        raise UserError(
            f"cannot export VRMA from '{obj.name}' ({what}): the VRM add-on's VRMA exporter needs VRM 1.0 "
            "humanoid data; convert the avatar to VRM 1.0 in the VRM add-on, or use --bvh"
        )
    scene = bpy.context.scene
    fps = float(args.fps)
    scene.render.fps = max(1, int(round(fps)))
    scene.render.fps_base = scene.render.fps / fps
    opts = [
        bake.BakeOptions(
            motion=m,
            params=first_params if i == 0 else {},
            seed=args.seed,
            seconds=args.seconds,
            fps=fps,
            reduce_keys_deg=args.reduce_keys,
        )
        for i, m in enumerate(ids)
    ]
    n_frames = max(1, int(round(args.seconds * fps)))
    single = len(opts) == 1
    results = bake.bake_layers(av, opts, nla=args.nla and not single, layout=layout)
    start = opts[0].frame_start
    end = start + n_frames - 1
    if layout == "sequence" and results:
        end = int(max(r.action.frame_range[1] for r in results))
    scene.frame_start, scene.frame_end = start, end
    for r in results:
        print(f"baked {r.summary()}")
    if args.vrma:
        try:
            gltf = export.export_vrma(av.obj, args.vrma, start, end)
        except export.ExportError as exc:
            raise UserError(str(exc)) from None
        print(f"wrote {args.vrma} ({len(gltf['animations'][0]['channels'])} animation channels)")
    if args.bvh:
        frames = export.export_bvh(av.obj, args.bvh, start, end)
        print(f"wrote {args.bvh} ({frames} frames)")
    if args.nla and single:
        bake.push_bake_to_nla(av.obj, results[0].action)
    scene.frame_set(start)
    if args.out:
        bpy.ops.wm.save_as_mainfile(filepath=str(Path(args.out).resolve()))
        print(f"wrote {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for scripts/posers_bake.py: parse ``sys.argv`` (after ``--``), run, map errors to exit codes."""
    args = build_parser().parse_args(script_args(sys.argv if argv is None else argv))
    try:
        return run(args)
    except (UserError, ParamError, MotionError) as exc:
        print(f"posers_bake: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"posers_bake: error: file not found: {exc.filename}", file=sys.stderr)
        return 2
