"""Data sets with real outcomes, for back-tests (the data layer)."""

from accord.datasets import deu

__all__ = ["deu"]
