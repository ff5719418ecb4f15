"""Motion-quality metrics (``motion_quality_metrics.md``): pure numpy over baked clips."""
