"""BVH parsing: channel orders, 3- and 6-channel joints, End Sites, units and up-axis guesses, errors."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.engine import quat
from posers_blender.io.bvh_read import BvhError, guess_units, parse_bvh, read_bvh, up_rotation

TWO_JOINTS = """HIERARCHY
ROOT Hips
{
  OFFSET 0 1 0
  CHANNELS 6 Yrotation Xposition Zrotation Yposition Xrotation Zposition
  JOINT Arm
  {
    OFFSET 0.5 0 0
    CHANNELS 3 Xrotation Yrotation Zrotation
    End Site
    {
      OFFSET 0.25 0 0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.5
0 1 0 2 0 3   0 0 0
90 1 0 2 0 3  0 0 90
"""


def test_channels_in_any_order_map_to_their_axes():
    bvh = parse_bvh(TWO_JOINTS)
    assert bvh.n_frames == 2 and bvh.fps == pytest.approx(2.0)
    assert bvh.joints[1].end_site is not None and bvh.joints[1].end_site[0] == 0.25
    _, gpos = bvh.fk()
    # position channels replace the root OFFSET: (X, Y, Z) = (1, 2, 3)
    np.testing.assert_allclose(gpos[0, 0], [1.0, 2.0, 3.0])
    np.testing.assert_allclose(gpos[0, 1], [1.5, 2.0, 3.0])
    # frame 1: root turned 90° about Y carries the arm from +X to -Z
    np.testing.assert_allclose(gpos[1, 1], [1.0, 2.0, 2.5], atol=1e-12)


def test_rotation_channels_compose_in_listed_order():
    text = TWO_JOINTS.replace("0 0 90\n", "30 40 50\n")
    bvh = parse_bvh(text)
    lrot, _ = bvh.local_transforms()
    ang = np.radians([30.0, 40.0, 50.0])
    want = quat.mul(
        quat.from_axis_angle([1, 0, 0], ang[0]),
        quat.mul(quat.from_axis_angle([0, 1, 0], ang[1]), quat.from_axis_angle([0, 0, 1], ang[2])),
    )
    assert abs(abs(float(np.dot(lrot[1, 1], want))) - 1.0) < 1e-12


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("HIERARCHY\nROOT a\n{\n OFFSET 0 0 0\n}\n", "no MOTION section"),
        (TWO_JOINTS.replace("OFFSET 0.5 0 0", "OFFSET 0.5 zero 0"), "line 8: expected a number"),
        (TWO_JOINTS.replace("Xrotation Yrotation Zrotation", "Xrotation Yrotation Wrotation"), "unknown channel"),
        (TWO_JOINTS.replace("Frame Time: 0.5", "Frame Time: 0"), "'Frame Time: 0' is out of range"),
        (TWO_JOINTS.replace("Frame Time: 0.5", "Frame Time: nan"), "'Frame Time: nan' is out of range"),
        (TWO_JOINTS.replace("Frame Time: 0.5", "Frame Time: inf"), "'Frame Time: inf' is out of range"),
        (TWO_JOINTS.replace("Frame Time: 0.5", "Frame Time: 1e-9"), "'Frame Time: 1e-9' is out of range"),
        (TWO_JOINTS.replace("Frame Time: 0.5", "Frame Time: soon"), "is not a number of seconds"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: abc"), "'Frames: abc' is not a whole number"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: -5"), "needs at least one frame"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: 0"), "needs at least one frame"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: 99999999"), "split the file"),
        (TWO_JOINTS.replace("Frames: 2\n", ""), "needs a 'Frames:' line"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: 3"), "'Frames: 3' but the MOTION data holds 2 frames"),
        (TWO_JOINTS.replace("Frames: 2", "Frames: 1"), "'Frames: 1' but the MOTION data holds 2 frames"),
        (TWO_JOINTS.replace("0 0 90\n", "0 0 nan\n"), "holds nan at frame 2, channel 9"),
        (TWO_JOINTS.replace("0 0 90\n", "0 0 -inf\n"), "holds -inf at frame 2, channel 9"),
        (TWO_JOINTS.replace("0 0 90\n", "0 0 ninety\n"), "holds 'ninety', which is not a number"),
        (TWO_JOINTS.replace("OFFSET 0.5 0 0", "OFFSET 0.5 nan 0"), "line 8: expected a finite number"),
        (TWO_JOINTS.replace("CHANNELS 3", "CHANNELS 99"), "0 to 6 channels, found 99"),
        (TWO_JOINTS.replace("CHANNELS 3", "CHANNELS -1"), "0 to 6 channels, found -1"),
        ("", "no MOTION section"),
        (TWO_JOINTS.replace("JOINT Arm", "JOINT Hips"), "repeated: Hips"),
    ],
)
def test_bad_files_name_the_problem(text, message):
    with pytest.raises(BvhError, match=message):
        parse_bvh(text, "x.bvh")


def test_truncated_motion_is_an_error_naming_the_counts():
    """Issue 15: a truncated file was read silently short (343 -> 221 frames)."""
    with pytest.raises(BvhError, match="'Frames: 2' but the MOTION data holds 1 frames of 9 channels and 4 values"):
        parse_bvh(TWO_JOINTS.replace("90 1 0 2 0 3  0 0 90\n", "90 1 0 2\n"), "x.bvh")


def test_deeply_nested_joints_are_refused_without_recursion_error():
    depth = 5000
    text = "HIERARCHY\nROOT r\n{\nOFFSET 0 0 0\nCHANNELS 3 Xrotation Yrotation Zrotation\n"
    text += "".join(f"JOINT j{i}\n{{\nOFFSET 0 0 0\n" for i in range(depth)) + "}\n" * (depth + 1)
    text += "MOTION\nFrames: 1\nFrame Time: 0.1\n0 0 0\n"
    with pytest.raises(BvhError, match="nested more than"):
        parse_bvh(text, "deep.bvh")


def test_a_folder_is_not_read_as_a_file(tmp_path):
    folder = tmp_path / "take.bvh"
    folder.mkdir()
    with pytest.raises(BvhError, match="is a folder"):
        read_bvh(folder)


def test_header_lines_in_either_order_and_one_frame_read():
    text = TWO_JOINTS.replace("Frames: 2\nFrame Time: 0.5", "Frame Time: 0.5\nFrames: 1").replace(
        "90 1 0 2 0 3  0 0 90\n", ""
    )
    bvh = parse_bvh(text)
    assert bvh.n_frames == 1 and bvh.frame_time == 0.5


@pytest.mark.parametrize(
    ("leg", "unit"),
    [(0.8, "m"), (14.6, "cmu"), (32.0, "inch"), (80.0, "cm"), (800.0, "mm")],
)
def test_units_follow_from_the_leg_length(leg, unit):
    assert guess_units(leg) == unit


def test_absurd_leg_length_asks_for_explicit_units():
    with pytest.raises(BvhError, match="pass the units explicitly"):
        guess_units(5.0)


def test_z_up_maps_to_y_up_like_blender_import():
    q = up_rotation("Z")
    # Blender (x, y, z) -> normalised (x, z, -y)
    np.testing.assert_allclose(quat.rotate(q, [1.0, 2.0, 3.0]), [1.0, 3.0, -2.0], atol=1e-12)
    np.testing.assert_allclose(quat.rotate(up_rotation("Y"), [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0], atol=1e-12)
