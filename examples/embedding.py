"""Embed ikueval in a Python program (see docs/embedding.md).

Run from the repository root:

    python examples/embedding.py

It loads a small rule set from a TOML string and the bundled BP3MI Jawa Tengah
rule set from its file, feeds events as plain dicts and as dataclass objects,
evaluates the second quarter of 2025, walks the results, and replays one
figure from its audit trail. The output is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import ikueval

# Two indicators of BP3MI Jawa Tengah's 2025 agreement, reduced to what this
# example needs: a count broken down by gender, and a ratio computed from two
# counts (Q2 2025: 7 of 8 social-security claims settled).
RULES = """
[ruleset]
id = "embedding-demo"
office = "BP3MI Jawa Tengah"
years = [2025]

[[documents]]
id = "pk-2025"
title = "Perjanjian Kinerja 2025"
kind = "pk"

[[documents]]
id = "lkj-2025-q2"
title = "Laporan Kinerja Triwulan II 2025"
kind = "lkj"

[targets]
precedence = ["pk-2025", "lkj-2025-q2"]

[rounding]
mode = "half-up"
places = 2

[dimensions.gender]
values = ["L", "P"]

[[indicators]]
id = "IKU-06"
name = "Jumlah fasilitasi pelayanan kepulangan PMI"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
dimensions = ["gender"]
targets.pk-2025 = { annual = 107 }
targets.lkj-2025-q2 = { Q1 = 20, Q2 = 30 }

[[indicators]]
id = "IKU-08"
name = "Persentase fasilitasi klaim jaminan sosial"
unit = "%"
aggregation = "latest"
direction = "higher"
formula = "settled / claims * 100"
inputs.settled = { aggregation = "cumulative", unit = "Klaim" }
inputs.claims = { aggregation = "cumulative", unit = "Klaim" }
targets.pk-2025 = { annual = 100 }
targets.lkj-2025-q2 = { Q2 = 100 }
"""


@dataclass(frozen=True)
class Row:
    """A record as another program might hold it: attributes named like event fields."""

    indicator: str
    period: str
    value: Decimal | int | str
    input: str | None = None
    ref: str | None = None


def main() -> None:
    # 1. A rule set from a TOML string, events as dicts and as objects.
    demo = ikueval.loads_rules(RULES, source="embedding-demo")
    events: list[object] = [
        {"indicator": "IKU-06", "period": "2025-Q1", "value": 80, "ref": "Tabel 3"},
        {"indicator": "IKU-06", "period": "2025-Q2", "value": "21", "dimensions": {"gender": "L"}},
        {"indicator": "IKU-06", "period": "2025-Q2", "value": "15", "dimensions": {"gender": "P"}},
        Row("IKU-08", "2025-Q2", 7, input="settled", ref="text of IKU 8"),
        Row("IKU-08", "2025-Q2", Decimal(8), input="claims", ref="text of IKU 8"),
    ]
    evaluation = ikueval.evaluate(demo, events, "2025-Q2")
    print(f"{evaluation.ruleset} {evaluation.period} (to date {evaluation.spans['to_date']})")
    for result in evaluation.indicators:
        for achievement in result.achievements:
            if achievement.status is ikueval.Status.COMPUTED:
                print(f"  {result.id} {achievement.basis.value}: {achievement.value}")
            else:
                status, reason = achievement.status.value, achievement.reason
                print(f"  {result.id} {achievement.basis.value}: {status} ({reason})")

    # 2. Every figure keeps its trail: the parts, the target's document, the
    #    unrounded value. Replaying recomputes it from the trail alone.
    to_date = evaluation.indicator("IKU-06").achievement("to_date")
    parts = to_date.realisation.inputs[0].parts
    target = to_date.target
    documents = (
        [d for part in target.aggregate.parts for d in part.sources] if target.aggregate else []
    )
    print(
        f"IKU-06 to date: {to_date.realisation.value} from {len(parts)} parts "
        f"against {target.value} ({', '.join(documents)})"
    )
    for part in parts:
        dims = "".join(f" [{name}={value}]" for name, value in part.dimensions.items())
        print(f"  {part.period}{dims}: {part.value} from {', '.join(part.sources)}")
    print(f"  unrounded {to_date.unrounded}")
    print(f"  replayed {ikueval.replay(to_date)}")

    # 3. A float is refused: it may already have lost digits.
    bad = {"indicator": "IKU-06", "period": "2025-Q1", "value": 80.0}
    try:
        ikueval.evaluate(demo, [bad], "2025-Q2")
    except ikueval.IkuEvalError as error:
        print(f"refused: {error.problems[0]}")

    # 4. The bundled rule set from its file, with the example data files.
    bundled = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    ledger = ikueval.read_ledger(bundled, ["examples/bp3mi-jateng-2025/"])  # each file read once
    full = ikueval.evaluate(bundled, ledger, "2025-Q2")
    print(f"{full.office}: {len(full.indicators)} indicators, {full.period}")
    for indicator_id in ("IKU-06", "IKU-07", "IKU-04"):
        result = full.indicator(indicator_id)
        figure = result.achievement("to_date")
        shown = figure.value if figure.value is not None else f"none ({figure.reason})"
        print(f"  {indicator_id} to_date: {shown}")
    print(f"  roll-up all: {full.rollup('all').value}")


if __name__ == "__main__":
    main()
