"""The walk's body is jolted at every heel strike (issue 13): the fitted CMU response, laid at each strike."""

from __future__ import annotations

import numpy as np

from posers_blender.engine import fitted
from posers_blender.quality.realism import motion_takes
from posers_blender.quality.realism.features import window_features
from posers_blender.quality.realism.windows import CORE_JOINTS
from posers_blender.registry import get


def test_fitted_response_dips_the_hips_after_each_strike_in_every_subject():
    r = fitted.heel_strike_response()
    after = (r.times > 0.03) & (r.times < 0.1)
    assert 1000 * r.shape["vertical"][after].min() < -0.8  # CMU: -1.1 mm at 60 ms
    assert 1000 * r.shape["forward"][after].min() < -0.3  # braked: -0.5 mm at 40 ms
    for c, x in r.shape.items():  # faded in and out: nothing jumps where a strike's response starts or ends
        assert abs(x[0]) < 1e-9 and abs(x[-1]) < 1e-9, c
    per_subject = fitted.load()["walking"]["heel_strike"]["amplitude_per_subject"]
    # the frontal response is every subject's; the sagittal one is weak in subject 02 (3 strikes: 0.1)
    assert all(a["frontal"] > 0.3 for a in per_subject.values())
    assert sum(a["sagittal"] > 0.5 for a in per_subject.values()) >= 3


def test_chest_shakes_at_each_heel_strike():
    # Share of the chest's velocity power (relative to the hips) at 4-8 Hz in 2-s windows, the realism check's
    # feature, at the CMU walkers' pace. CMU takes 0.057-0.17; these 12 s of basic-walk (seeds 0-1) 0.0218 without
    # the response, 0.0250 with the mean response at every strike, 0.0297 with each strike's own trunk, head and
    # pelvis rotation (heel_strike.SPREAD_SHARE): most of people's texture at 4-8 Hz is not locked to the strikes.
    take = motion_takes(get("basic-walk"), seeds=(0, 1), seconds=12.0, fps=30.0, params={"speed": 1.1})
    share = []
    for t in take:
        x, feats = window_features(t, CORE_JOINTS)
        share.append(x[:, [f.key for f in feats].index("band.chest.4-8Hz")].mean())
    assert np.mean(share) > 0.026, f"chest 4-8 Hz share {np.mean(share):.3f}"
