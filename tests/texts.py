"""Scenario texts shared by the bad-input tests: the smallest valid file, one edit away
from each malformed case."""

MINIMAL = """\
id: t
title: T
as_of: 2024-08-25
salience_scale: 100
sources:
  s1: {citation: c, date: 2024-06-14}
issues:
  - id: T
    name: Territory
    status_quo: 20
actors:
  - id: RUS
    name: Russia
    capability: 85
    positions:
      T: {position: 0, salience: 100, source: s1}
  - id: UKR
    name: Ukraine
    capability: 50
    positions:
      T: {position: 95, salience: 95}
"""
