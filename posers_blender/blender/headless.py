"""The batch bake: ``posers bake``, ``python scripts/posers_bake.py`` and ``blender --background --python`` share this.

Arguments after a ``--`` (Blender's convention) are the command's own; without
``--`` every argument after the script is. The script goes through the ``posers``
command line (:func:`main` runs ``posers bake``), so the flags (:func:`add_arguments`,
built on :func:`posers_blender.cli.common.add_motion_args`) and the error mapping
(one line, exit status 2) are the CLI's. The scene's frame rate and range change only
after every motion baked; the scene is saved only after everything succeeded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..cli import UserError
from ..cli import common as cli_common
from ..engine.targets import reach_notes

USAGE_EPILOG = """examples:
  python scripts/posers_bake.py --motion idle-breathe --seconds 10 --out out/idle.blend --bvh out/idle.bvh
  blender --background scene.blend --python scripts/posers_bake.py -- --vrm avatar.vrm --motion idle-breathe --nla
"""


def script_args(argv: Sequence[str]) -> list[str]:
    """The command's own arguments from a full ``sys.argv``.

    ``blender ... --python script.py -- ARGS`` -> ARGS; ``python script.py ARGS`` -> ARGS.
    """
    argv = list(argv)
    if "--" in argv:
        return argv[argv.index("--") + 1 :]
    return argv[1:]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The bake's flags: the CLI's motion flags (--seconds --fps --seed --set --params --height) and its own."""
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
    p.add_argument("--all", action="store_true", help="bake every motion the panel lists (implies --layout sequence)")
    p.add_argument("--layout", choices=("stack", "sequence"), default="stack", help="how several motions combine")
    cli_common.add_motion_args(p)
    p.add_argument("--out", metavar="FILE.blend", help="save the scene to this .blend")
    p.add_argument("--vrma", metavar="FILE", help="export VRM Animation (needs VRM 1.0 humanoid data)")
    p.add_argument("--bvh", metavar="FILE", help="export BVH (Y up, humanoid bone names)")
    p.add_argument("--nla", action="store_true", help="push each bake to its own NLA track")
    p.add_argument(
        "--reduce-keys",
        type=float,
        metavar="DEG",
        nargs="?",
        const=0.5,
        help="sparse Bezier keys within DEG degrees (default 0.5 when given without a value)",
    )
    p.add_argument(
        "--loop",
        action="store_true",
        help="bake a seamless cycle (whole strides/breaths within --seconds, last frame = first) with Cycles modifiers",
    )
    p.add_argument(
        "--root-motion",
        choices=("travel", "in-place", "root-bone"),
        default="travel",
        help=(
            "where a walk's travel goes: on the hips (with --loop: repeating with offset), taken out (with --loop), "
            "or on the rig's root bone above the hips, the hips staying in place (with or without --loop)"
        ),
    )
    p.add_argument("--force", action="store_true", help="overwrite existing output files")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``posers bake`` on its own (for tests and tools)."""
    p = argparse.ArgumentParser(
        prog="posers bake",
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
    ids = bake.listed_motions() if args.all else (args.motion or ["idle-breathe"])
    layout = "sequence" if args.all else args.layout
    if args.loop and len(ids) > 1:
        raise UserError("--loop bakes one motion into a seamless cycle; give a single --motion")
    programs = [registry.get(m) for m in ids]
    first_params = cli_common.motion_params(programs[0], args)
    goals = cli_common.motion_target_points(programs, args) if args.target_specs else None

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
            print(f"posers bake: note: {exc}; the built-in avatar gets no VRM data (no --vrma)", file=sys.stderr)
        try:
            obj = builtin.build(height=args.height)
        except ValueError as exc:
            raise UserError(f"--height: {exc}") from None
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
    fps = float(args.fps)
    opts = [
        bake.BakeOptions(
            motion=m,
            params=first_params if i == 0 else {},
            seed=args.seed,
            seconds=args.seconds,
            fps=fps,
            reduce_keys_deg=args.reduce_keys,
            targets=goals,
            loop=args.loop,
            root_motion=args.root_motion.replace("-", "_"),
        )
        for i, m in enumerate(ids)
    ]
    results = bake.bake_layers(av, opts, nla=args.nla, layout=layout, progress=_progress_line)
    start, end = bake.frame_range(results)
    # the scene follows the bake only now that it succeeded
    scene = bpy.context.scene
    scene.render.fps = max(1, int(round(fps)))
    scene.render.fps_base = scene.render.fps / fps
    scene.frame_start, scene.frame_end = start, end
    for r in results:
        print(f"baked {r.summary()}")
        for note in reach_notes(r.clip.meta.get("reached", {})):
            print(f"posers bake: note: {note}", file=sys.stderr)
    if args.vrma:
        try:
            gltf = export.export_vrma(av.obj, args.vrma, start, end)
        except export.ExportError as exc:
            raise UserError(str(exc)) from None
        print(f"wrote {args.vrma} ({len(gltf['animations'][0]['channels'])} animation channels)")
    if args.bvh:
        frames = export.export_bvh(av, args.bvh, start, end)
        print(f"wrote {args.bvh} ({frames} frames)")
    scene.frame_set(start)
    if args.out:
        bpy.ops.wm.save_as_mainfile(filepath=str(Path(args.out).resolve()))
        print(f"wrote {args.out}")
    return 0


def _progress_line(fraction: float, what: str) -> None:
    """The bake's progress, one line per stage (stdout: stderr stays one line when something fails)."""
    print(f"posers bake: {100 * fraction:3.0f}% {what}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for scripts/posers_bake.py: ``posers bake`` with the arguments after ``--`` (or the script)."""
    from ..cli import main as cli_main

    return cli_main(["bake", *script_args(sys.argv if argv is None else argv)])
