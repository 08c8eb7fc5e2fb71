"""Rule-set text shared by tests."""

from __future__ import annotations

#: The smallest valid head of a rule set: one year, one document, rounding.
MINIMAL = """\
[ruleset]
id = "t"
office = "Office"
years = [2025]

[[documents]]
id = "pk"
title = "PK"

[rounding]
mode = "half-up"
places = 2
"""
