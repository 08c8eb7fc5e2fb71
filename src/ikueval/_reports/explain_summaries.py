"""The trace of the figures over several indicators, as text: a roll-up's members and
mean, a composite's members and combination, a budget's spending and absorption."""

from __future__ import annotations

from decimal import Decimal

from .._results import BudgetResult, CompositeResult, Rollup, Status
from .explain_figures import FigureExplainer
from .table import figure_phrase


class Explainer(FigureExplainer):
    """Writes the trace of figures in one language: an indicator's
    (:class:`FigureExplainer`), a roll-up's, a composite's and a budget's.

    Args:
        lang: the language of the words and numbers.
        documents: document id -> title.
        ledger: a ledger that retained events, to list every event of a part.
    """

    def budget(self, budget: BudgetResult) -> list[str]:
        """A budget's ceiling, spending balances and absorption."""
        w = self.w
        documents = "; ".join(self.document(d) for d in budget.documents)
        lines = [
            w("explain.budget", id=budget.id, label=budget.label),
            f"  {w('explain.ceiling', ceiling=self.num(budget.ceiling), documents=documents)}",
        ]
        for spending in budget.spending:
            balance = (
                self.num(spending.value)
                if isinstance(spending.value, Decimal)
                else w("explain.none")
            )
            lines.append(
                "  "
                + w(
                    "explain.spending",
                    quantity=spending.quantity,
                    span=spending.span,
                    balance=balance,
                )
            )
            lines.extend(f"      {self.part(part)}" for part in spending.parts)
            lines.extend(f"    {w('explain.note', note=note)}" for note in spending.notes)
        if budget.value is None:
            lines.append(f"  {w('explain.absorption_none', reason=budget.reason)}")
        else:
            spent, ceiling = self.num(budget.spent), self.num(budget.ceiling)
            lines.append(f"  {w('explain.absorption', spent=spent, ceiling=ceiling)}")
            lines.append(f"  {w('explain.absorption_value', value=self.num(budget.unrounded))}")
            text = self.rounding_text(budget.rounding.mode.value, budget.rounding.places)
            lines.append(f"  {w('explain.rounded', rounding=text, value=self.num(budget.value))}")
        return lines

    def rollup(self, rollup: Rollup) -> list[str]:
        """A roll-up: its policy, every member with what it contributed, the mean."""
        w = self.w
        missing = w("table.counted_as_zero" if rollup.missing.value == "zero" else "table.left_out")
        policy = w(
            "explain.rollup_policy",
            basis=rollup.basis.value,
            member_values=w(f"member_values.{rollup.member_values.value}"),
            missing=missing,
        )
        lines = [w("explain.rollup", id=rollup.id, label=rollup.label), f"  {policy}"]
        for member in rollup.members:
            status = w(f"status.{member.status.value}")
            if member.counted:
                lines.append(f"    {member.indicator}: {self.num(member.value)}")
            else:
                left_out = w("explain.rollup_left_out", status=status)
                lines.append(f"    {member.indicator}: {left_out}")
            if member.counted and member.status is not Status.COMPUTED:
                lines[-1] += f"  {w('explain.rollup_zero', status=status)}"
        if rollup.value is None:
            lines.append(f"  {w('explain.rollup_none', reason=rollup.reason)}")
        else:
            total = w(
                "explain.rollup_sum",
                total=self.num(rollup.total),
                count=rollup.count,
                value=self.num(rollup.unrounded),
            )
            lines.append(f"  {total}")
            text = self.rounding_text(rollup.rounding.mode.value, rollup.rounding.places)
            lines.append(f"  {w('explain.rounded', rounding=text, value=self.num(rollup.value))}")
        return lines

    def composite(self, composite: CompositeResult) -> list[str]:
        """A composite: its method and policy, every member with what it contributed, the
        combination step by step."""
        w = self.w
        missing = w(
            "table.counted_as_zero" if composite.missing.value == "zero" else "table.left_out"
        )
        policy = w(
            "explain.composite_policy",
            method=w(f"rollup_method.{composite.method.value}"),
            figure=figure_phrase(w, composite),
            member_values=w(f"member_values.{composite.member_values.value}"),
            missing=missing,
        )
        lines = [w("explain.composite", id=composite.id, label=composite.label), f"  {policy}"]
        declared = composite.declared_weight
        for member in composite.members:
            status = w(f"status.{member.status.value}")
            if not member.counted:
                text = w("explain.rollup_left_out", status=status)
            elif member.weight is not None and declared is not None:
                text = w(
                    "explain.composite_weighted",
                    value=self.num(member.value),
                    weight=self.num(member.weight),
                    declared=self.num(declared),
                    weighted=self.num(member.weighted),
                )
            else:
                text = self.num(member.value)
            if member.counted and member.status is not Status.COMPUTED:
                text += f"  {w('explain.rollup_zero', status=status)}"
            lines.append(f"    {member.id}: {text}")
        if composite.value is None:
            lines.append(f"  {w('explain.rollup_none', reason=composite.reason)}")
            return lines
        step = w(
            f"explain.combine.{composite.method.value}",
            total=self.num(composite.total),
            weight=self.num(composite.weight),
            value=self.num(composite.unrounded),
        )
        lines.append(f"  {step}")
        text = self.rounding_text(composite.rounding.mode.value, composite.rounding.places)
        lines.append(f"  {w('explain.rounded', rounding=text, value=self.num(composite.value))}")
        return lines
