"""Analyses over models and scenarios: running several models, back-tests, scoring."""
