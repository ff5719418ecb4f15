"""The realism result: the cross-validated AUC, what it means, and the features that separate most."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FeatureGap:
    """One feature's separation: its own AUC (0.5 none; 1 or 0 complete) and each side's median."""

    key: str
    words: str
    unit: str
    auc: float
    generated: float
    reference: float

    def line(self) -> str:
        direction = "higher" if self.auc > 0.5 else "lower"
        return (
            f"{self.words}: generated {_fmt(self.generated)} vs real {_fmt(self.reference)} {self.unit} "
            f"({direction} in generated; alone separates with AUC {max(self.auc, 1 - self.auc):.2f})"
        )


def _fmt(v: float) -> str:
    return f"{v:.3g}"


def verdict(auc: float) -> str:
    """The AUC in words."""
    if auc != auc:
        return "not measurable"
    if auc <= 0.6:
        return "hard to tell from real people"
    if auc <= 0.75:
        return "sometimes told from real people"
    if auc <= 0.9:
        return "usually told from real people"
    return "almost always told from real people"


@dataclass
class RealismResult:
    """``auc``: grouped cross-validated ROC AUC of a window classifier (0.5 = indistinguishable)."""

    subject: str
    auc: float
    fps: float
    joints: tuple[str, ...]
    generated_windows: int
    reference_windows: int
    groups: list[str]
    references: list[str]
    top: list[FeatureGap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self) -> str:
        out = [
            f"{self.subject}: realism AUC {self.auc:.3f} ({verdict(self.auc)}; 0.5 = indistinguishable, 1 = always told apart)",
            f"  {self.generated_windows} generated and {self.reference_windows} real 2-s windows at {self.fps:g} fps, "
            f"{len(self.joints)} joints, leave-one-group-out over {len(self.groups)} groups ({', '.join(self.groups)})",
            f"  reference: {', '.join(self.references)}",
        ]
        out += [f"  note: {n}" for n in self.notes]
        if self.top:
            out.append("  what gives it away (most separating features first):")
            out += [f"   {i + 1}. {g.line()}" for i, g in enumerate(self.top)]
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "auc": None if self.auc != self.auc else round(self.auc, 4),
            "subject": self.subject,
            "verdict": verdict(self.auc),
            "fps": self.fps,
            "joints": list(self.joints),
            "generated_windows": self.generated_windows,
            "reference_windows": self.reference_windows,
            "groups": self.groups,
            "references": self.references,
            "notes": self.notes,
            "top_features": [
                {
                    "key": g.key,
                    "words": g.words,
                    "unit": g.unit,
                    "auc": round(g.auc, 4),
                    "generated": g.generated,
                    "reference": g.reference,
                }
                for g in self.top
            ],
        }
