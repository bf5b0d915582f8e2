"""Scenario schema, validation and file I/O (the data layer)."""

from accord.scenario.io import dump, dumps, load, loads, scenario_from_data, to_data
from accord.scenario.schema import (
    Actor,
    DecisionRule,
    Issue,
    Quantity,
    RedLine,
    Scale,
    Scenario,
    ScenarioArrays,
    Source,
    Sourced,
    Space,
    Stance,
)

__all__ = [
    "Actor",
    "DecisionRule",
    "Issue",
    "Quantity",
    "RedLine",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Sourced",
    "Space",
    "Stance",
    "dump",
    "dumps",
    "load",
    "loads",
    "scenario_from_data",
    "to_data",
]
