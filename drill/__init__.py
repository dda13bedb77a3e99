"""drill: offline terminal drills for ML-engineer interview loops."""

__version__ = "0.1.0"
