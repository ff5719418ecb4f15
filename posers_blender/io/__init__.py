"""Reading and writing motion files (BVH; clips as NPZ/JSON live on Clip itself)."""
