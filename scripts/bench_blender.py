"""Blender-side benchmarks (not a test): bulk bake vs a keyframe_insert loop, preview handler cost, key reduction.

    python scripts/bench_blender.py            (pip bpy module)

Prints: the built-in avatar's build time, bake of 600 frames on the 55-bone built-in avatar
(sampling included) against a ``keyframe_insert`` loop writing the same values, the preview
handler's ms per frame and its ratio to ``scene.frame_set`` on the same scene, and key reduction
on idle-breathe. Budgets (issue 12): bake >= 50x the loop with sampling included, preview
handler <= 0.1x ``scene.frame_set``.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bpy  # noqa: E402

import posers_blender  # noqa: E402
from posers_blender.blender import avatar, bake, builtin, preview, vrm  # noqa: E402

BUDGET_BAKE_RATIO = 50.0
BUDGET_PREVIEW_RATIO = 0.1


def fresh():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    vrm.ensure_addon()
    obj = builtin.build()
    return obj, avatar.load(obj)


def verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def median_frame_set_ms(scene: bpy.types.Scene, frames: int = 300) -> float:
    """Median wall time of ``scene.frame_set`` over frames 1..``frames``, ms."""
    times = []
    for f in range(1, frames + 1):
        t0 = time.perf_counter()
        scene.frame_set(f)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main() -> int:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    vrm.ensure_addon()
    builds = []
    for _ in range(3):
        t0 = time.perf_counter()
        builtin.build()
        builds.append(time.perf_counter() - t0)
    print(f"built-in avatar build {statistics.median(builds) * 1e3:.0f} ms (median of 3)")
    obj, av = fresh()
    opts = bake.BakeOptions("idle-breathe", seed=1, seconds=20.0, fps=30.0, face=False)  # 600 frames
    samples, writes = [], []
    for _ in range(3):  # median of three: other processes share the CPU
        t0 = time.perf_counter()
        clip = bake.sample_clip(av, opts)
        t1 = time.perf_counter()
        res = bake.bake_clip(av, clip, opts)  # pose transfer + bulk F-curve writes
        t2 = time.perf_counter()
        samples.append(t1 - t0)
        writes.append(t2 - t1)
    t_sample, t_write = statistics.median(samples), statistics.median(writes)
    t_bulk = t_sample + t_write
    q, loc = bake.pose_tracks(av, res.clip)
    obj.animation_data.action = None
    t0 = time.perf_counter()
    pbs = [obj.pose.bones[n] for n in av.rest.blender_names]
    mover = obj.pose.bones[av.rest.loc_bone]
    for f in range(res.clip.n_frames):
        for m, pb in enumerate(pbs):
            pb.rotation_quaternion = q[f, m]
            pb.keyframe_insert("rotation_quaternion", frame=1 + f)
        mover.location = loc[f]
        mover.keyframe_insert("location", frame=1 + f)
    t_loop = time.perf_counter() - t0
    print(
        f"bake 600 frames x 55 bones: sampling {t_sample * 1e3:.0f} ms + pose transfer and bulk write {t_write * 1e3:.0f} ms"
        f" = {t_bulk * 1e3:.0f} ms; keyframe_insert loop writing the same values {t_loop * 1e3:.0f} ms: "
        f"{t_loop / t_bulk:.1f}x faster with sampling included, {t_loop / t_write:.1f}x for the writing alone "
        f"({verdict(t_loop / t_bulk >= BUDGET_BAKE_RATIO)}: >= {BUDGET_BAKE_RATIO:g}x with sampling)"
    )

    # preview: the handler's own cost per frame, against Blender's frame_set on the same scene playing the
    # same motion from a baked Action (what Blender itself spends to pose these 55 bones per frame)
    obj, av = fresh()
    posers_blender.register()
    settings = obj.posers
    settings.motion = "idle-breathe"
    settings.seconds = 20.0
    scene = bpy.context.scene
    settings.preview = True  # samples once and caches
    preview.remove_handlers()  # time the handler body directly, without frame_set around it
    times = []
    for f in range(1, 301):
        t0 = time.perf_counter()
        preview.update_object(obj, f)
        times.append(time.perf_counter() - t0)
    handler_ms = statistics.median(times) * 1e3
    settings.preview = False
    opts = preview.options(obj)
    opts.face = False
    bake.bake(av, opts)
    frame_ms = median_frame_set_ms(scene)
    preview.add_handlers()
    obj.animation_data.action = None
    settings.preview = True
    with_ms = median_frame_set_ms(scene)
    print(
        f"preview handler {handler_ms:.3f} ms/frame; scene.frame_set playing the baked Action {frame_ms:.3f} ms "
        f"(ratio handler/frame_set {handler_ms / frame_ms:.2f}); frame_set with preview instead of the Action "
        f"{with_ms:.3f} ms; one re-sample {preview._last_sample_s * 1e3:.0f} ms "
        f"({verdict(handler_ms / frame_ms <= BUDGET_PREVIEW_RATIO)}: <= {BUDGET_PREVIEW_RATIO:g}x frame_set)"
    )
    posers_blender.unregister()

    obj, av = fresh()
    res = bake.bake(av, bake.BakeOptions("idle-breathe", seed=1, seconds=20.0, fps=30.0, reduce_keys_deg=0.5))
    print(
        f"key reduction on idle-breathe (20 s, 30 fps, 0.5 deg): {res.keys_dense} -> {res.keys_written} keys, "
        f"{100 * res.reduction:.1f}% fewer, measured max error {res.max_error_deg:.3f} deg, "
        f"{100 * res.auto_handles:.0f}% of channels with AUTO_CLAMPED handles (the rest FREE)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
