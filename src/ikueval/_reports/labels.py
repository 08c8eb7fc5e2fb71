"""Every word a report, the terminal table and ``explain`` print, in each language.

One dictionary per language, with the same keys (a test checks it). A label
is a :meth:`str.format` template; its fields are filled by the caller. Names
from rule files (indicators, objectives, activities) and the engine's own
reasons and notes are data, not labels: they are printed as they are.

The terminal commands (``evaluate``, ``explain``) print English unless asked
otherwise, so that their output stays what scripts and the recorded examples
expect; reports default to Indonesian, the language of the documents they
take the shape of (see ``docs/report.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from .._model import (
    Aggregation,
    Basis,
    Direction,
    LowerIsBetter,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    RollupMethod,
)
from .._periods import Granularity, Period
from .._reconcile.verdict import Verdict
from .._results import Status
from .._spans import SpanName
from .assessment import Assessment
from .lang import Lang

_EN: Final[Mapping[str, str]] = {
    # -- statuses of the engine, in words and as short marks ----------------
    "status.computed": "computed",
    "status.no_realisation": "no realisation yet",
    "status.no_target": "no target for the span",
    "status.target_zero": "target is zero",
    "status.not_applicable": "not applicable",
    "status.undefined": "undefined",
    "mark.no_realisation": "n/r",
    "mark.no_target": "n/t",
    "mark.target_zero": "t=0",
    "mark.not_applicable": "n/a",
    "mark.undefined": "undef",
    "aggregation.cumulative": "cumulative",
    "aggregation.latest": "latest",
    "aggregation.average": "average",
    "direction.higher": "higher is better",
    "direction.lower": "lower is better",
    "rounding": "rounded {mode} to {places} places",
    # -- the terminal table (ikueval evaluate) ------------------------------
    "table.title": "{office} - rule set {ruleset} - {period}",
    "table.spans": "{spans}; achievements in %, {rounding}",
    "table.target": "target",
    "table.realisation": "realisation",
    "table.achievement": "achievement %",
    "table.iku": "IKU",
    "table.unit": "unit",
    "table.span.period": "period",
    "table.span.to_date": "to date",
    "table.span.annual": "year",
    "table.basis.period": "period",
    "table.basis.period_vs_annual": "vs year",
    "table.basis.to_date": "to date",
    "table.basis.to_date_vs_target_to_date": "td vs ttd",
    "table.legend.period": "the period against its target",
    "table.legend.period_vs_annual": "the period against the annual target",
    "table.legend.to_date": "January to the period's end against the annual target",
    "table.legend.to_date_vs_target_to_date": "to date against the targets to date",
    "table.marks": "Marks: - nothing to show, {marks}.",
    "table.notes": "Notes",
    "table.target_note": "target {name}: {note}",
    "table.no_targets": "no target for the period, to date or for the year",
    "table.indicators": "Indicators",
    "table.rollups": "Roll-ups: mean {basis} achievement, indicators without one {missing}, "
    "{member_values} member values",
    "table.counted_as_zero": "counted as 0",
    "table.left_out": "left out",
    "table.of": "{count} of {total}",
    "table.budgets": "Budget absorption {span}: spent / ceiling x 100",
    "table.ceiling": "ceiling",
    "table.spent": "spent",
    "member_values.unrounded": "unrounded",
    "member_values.rounded": "rounded",
    "table.composites": "Composites: members combined as [[composites]] declares",
    "table.comparisons": "Comparisons: the realisation to date against the medium-term target; "
    "the same span of the previous year",
    "table.previous": "previous",
    "table.comparisons_legend": "year, target, achievement %: the medium-term target and the "
    "realisation to date against it; previous, realisation, achievement %: the same span of the "
    "previous year; change: this year's realisation minus that year's (change %: in percent of "
    "it); points: this year's achievement to date minus that year's, in percentage points.",
    "table.year": "year",
    "table.change": "change",
    "table.change_percent": "change %",
    "table.points": "points",
    "rollup_method.mean": "mean",
    "rollup_method.weighted": "weighted mean",
    "rollup_method.geometric": "geometric mean",
    "member_figure.achievement": "{basis} achievements",
    "member_figure.realisation": "realisations {span}",
    # -- explain ------------------------------------------------------------
    "explain.basis.period": "the realisation of the period against the target of the period",
    "explain.basis.period_vs_annual": "the realisation of the period against the annual target",
    "explain.basis.to_date": "the realisation from January to the end of the period against "
    "the annual target",
    "explain.basis.to_date_vs_target_to_date": "the realisation from January to the end of the "
    "period against the targets of the same periods",
    "explain.method.cumulative": "sum of",
    "explain.method.latest": "latest of",
    "explain.method.average": "mean of the period totals of",
    "explain.head": "unit {unit}; {aggregation}; {direction}",
    "explain.objective": "objective",
    "explain.activity": "activity",
    "explain.evaluated": "evaluated for {period}; achievements {rounding}",
    "explain.not_applicable": "not applicable",
    "explain.detailed": "(detailed under [{basis}])",
    "explain.achievement_none": "achievement: none ({status}): {reason}",
    "explain.scale": "on the scale: {r_label} scores {r_score}, {t_label} scores {t_score}",
    "explain.achievement": "achievement",
    "explain.unrounded": "(unrounded)",
    "explain.cap": "cap {cap}% {applies}: {value}",
    "explain.cap_applies": "applies",
    "explain.cap_not": "does not apply",
    "explain.rounded": "{rounding}: {value}",
    "explain.range_within": (
        "the realisation lies within the target range {band}: {compared} (range rule {rule})"
    ),
    "explain.range_above": (
        "the realisation lies above the target range {band}: {compared} (range rule {rule})"
    ),
    "explain.range_below": (
        "the realisation lies below the target range {band}: {compared} (range rule {rule})"
    ),
    "explain.range_bound": "compared with {bound}",
    "explain.range_hundred": "100%",
    "explain.category": "category {label} on the scale {scale}: {band}",
    "band.min": "at least {value}",
    "band.above": "more than {value}",
    "band.below": "below {value}",
    "band.up_to": "at most {value}",
    "explain.own": "{what} (the indicator's own)",
    "explain.no_cap": 'no cap (the indicator declares cap = "none")',
    "explain.realisation": "realisation over {span} = {value} {unit}",
    "explain.realisation_none": "realisation over {span}: none ({reason})",
    "explain.input": "input {name}: ",
    "explain.formula": "formula: {formula}  with {bindings}",
    "explain.no_events": "no events in {span}",
    "explain.parts": "{method} {parts} ({events}) = {total}",
    "explain.part_one": "{n} part",
    "explain.part_many": "{n} parts",
    "explain.event_one": "{n} event",
    "explain.event_many": "{n} events",
    "explain.part_events": "({n} events)",
    "explain.from": "from",
    "explain.note": "note: {note}",
    "explain.target": "target for {span} = {value} {unit}",
    "explain.target_none": "target for {span}: none ({reason})",
    "explain.targets": "{method} {n} targets",
    "explain.budget": "Budget {id}: {label}",
    "explain.ceiling": "ceiling = {ceiling}  from {documents}",
    "explain.spending": "{quantity} over {span}: latest balance = {balance}",
    "explain.none": "none",
    "explain.absorption_none": "absorption: none ({reason})",
    "explain.absorption": "absorption = spent / ceiling x 100 = {spent} / {ceiling} x 100",
    "explain.absorption_value": "           = {value} (unrounded)",
    "explain.rollup": "Roll-up {id}: {label}",
    "explain.rollup_policy": "mean of the {basis} achievements ({member_values}); indicators "
    "without one are {missing}",
    "explain.rollup_left_out": "left out ({status})",
    "explain.rollup_zero": "(counted as 0: {status})",
    "explain.rollup_none": "none: {reason}",
    "explain.rollup_sum": "sum {total} / {count} = {value}",
    "explain.combine.mean": "sum {total} / {weight} = {value}",
    "explain.combine.weighted": "sum of weight x figure {total} / sum of the weights {weight} "
    "= {value}",
    "explain.combine.geometric": "product {total} ^ (1 / {weight}) = {value}",
    "explain.composite": "Composite {id}: {label}",
    "explain.composite_policy": "{method} of the {figure} ({member_values}); members without "
    "one are {missing}",
    "explain.composite_weighted": "{value} x weight {weight} / {declared} = weighted value "
    "{weighted}",
    "explain.comparison.medium_term": "the realisation from January to the end of the period "
    "against the medium-term target",
    "explain.comparison.previous_year": "the same span of the previous year",
    "explain.change": "change of the realisation = {now} - {then} = {change}",
    "explain.change_none": "change of the realisation: none ({reason})",
    "explain.growth": "in percent = {change} / {then} x 100 = {value} (unrounded)",
    "explain.points": "change of the achievement = {now} - {then} = {value} percentage points "
    "(unrounded)",
    "explain.target_inputs": "= {formula}  with {bindings}",
    "formula.higher": "realisation / target x 100",
    "formula.2t-r": "(2 x target - realisation) / target x 100",
    "formula.t/r": "target / realisation x 100",
    "formula.none": "lower is better, but the rule set declares no formula",
    # -- periods in reports --------------------------------------------------
    "period.year": "{year}",
    "period.quarter": "Q{q} {year}",
    "period.quarter.short": "Q{q}",
    "period.month": "{month} {year}",
    "period.month.short": "{month}",
    "period.span": "{first}–{last}",
    "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    # -- the report ------------------------------------------------------------
    "report.kind": "Performance report",
    "report.title": "Performance report, {period}",
    "report.meta.office": "Office",
    "report.meta.ruleset": "Rule set",
    "report.meta.period": "Period evaluated",
    "report.meta.spans": "Spans",
    "report.meta.spans.value": "period {period} ({period_code}); to date {to_date} "
    "({to_date_code}); year {annual}",
    "report.meta.rounding": "Rounding",
    "report.meta.rounding.value": "{mode}, {places} decimal places, once, at the end",
    "report.meta.made": "Made by",
    "report.meta.made.value": "ikueval {version}: every figure comes from the evaluation and "
    "links to its trace",
    "report.contents": "Contents",
    "report.no_data": "-",
    "report.figure_title": "{status}: {reason}",
    "section.agreement": "Performance agreement",
    "section.agreement.intro": "The targets of the year for each key performance indicator "
    "(IKU), by strategic objective, as the rule set takes them from its documents.",
    "section.quarters": "Quarterly measurement",
    "section.quarters.intro": "Target and realisation of each period to date, per IKU. A figure "
    "shown as - has none; hover or open its trace for the reason.",
    "section.achievement": "Achievement to date",
    "section.achievement.intro": "Each achievement column names what it compares: the "
    "realisation of which span against the target of which span.",
    "section.status": "Status per indicator",
    "section.status.intro": "Met when the achievement {basis} is at least 100%. An indicator "
    "without a realisation or a target for the span yet, or whose data do not cover every "
    "period of the span, is not yet assessable: incomplete data is never shown as met.",
    "section.rollups": "Roll-ups",
    "section.rollups.intro": "Mean of the achievements {basis}; indicators without one are "
    "{missing}; the mean is taken over {member_values} achievements and rounded once.",
    "section.rollups.none": "The rule set declares no roll-ups.",
    "section.budget": "Budget and performance",
    "section.budget.intro": "Budget absorption (spent / ceiling x 100, spending to {span}) "
    "against the mean achievement {basis} of the indicators of each activity.",
    "section.budget.none": "The rule set declares no activity with a budget.",
    "section.comparisons": "Comparisons with last year and the medium-term target",
    "section.comparisons.none": "Not available: the rule set gives neither the realisations of "
    "the previous year nor medium-term (Renstra) targets for these indicators.",
    "section.findings": "Plan consistency and published figures",
    "section.findings.warnings": "Warnings about the plan (ikueval check)",
    "section.findings.no_warnings": "ikueval check found no inconsistency in the plan.",
    "section.findings.reconciliation": "Published figures of {document} ({title}): {count} "
    "checked against the data",
    "section.findings.no_reconciliation": "No published report was given (--published FILE) "
    "to reconcile.",
    "section.traces": "Appendix: how each figure was computed",
    "section.traces.intro": "Every figure of the tables above links here. Each trace is the "
    "output of ikueval explain: the events and their sources, the aggregation, the target and "
    "its document, the formula with its values, the unrounded result and the rounding.",
    "col.no": "No",
    "col.iku": "IKU",
    "col.indicator": "Indicator",
    "col.unit": "Unit",
    "col.objective": "Strategic objective",
    "col.target_year": "Target {year}",
    "col.target": "Target",
    "col.realisation": "Realisation",
    "col.target_of": "Target {span}",
    "col.realisation_of": "Realisation {span}",
    "col.status": "Status",
    "col.reason": "Reason",
    "col.group": "Group",
    "col.name": "Name",
    "col.members": "Counted",
    "col.members.value": "{count} of {total}",
    "col.activity": "Activity",
    "col.ceiling": "Ceiling (Rp)",
    "col.spent": "Spent (Rp)",
    "col.absorption": "Absorption",
    "col.mean": "Mean achievement {basis}",
    "col.table": "Table",
    "col.where": "Where",
    "col.subject": "Figure",
    "col.column": "Column",
    "col.printed": "Printed",
    "col.verdict": "Verdict",
    "col.budget": "Budget",
    "col.composite": "Composite",
    "col.method": "Method",
    "col.combines": "Combines",
    "col.value": "Value",
    "col.medium_term": "Medium-term target {year}",
    "col.previous_year": "Previous year {period}",
    "col.achievement": "Achievement",
    "col.change": "Change",
    "col.change_percent": "Change (%)",
    "col.points": "Change of the achievement (points)",
    "section.rollups.composites": "Composites declared by the rule set",
    "section.comparisons.intro": "The realisation to date against the medium-term (Renstra) "
    "target, and against the same span of the previous year: its realisation and achievement, "
    "the change of the realisation and of the achievement (in percentage points).",
    "composite.achievement": "achievements {basis}",
    "composite.realisation": "realisations {span}",
    "trace.composite": "Composite {id}",
    "basis.period": "Achievement {period} against the target of {period}",
    "basis.period_vs_annual": "Achievement {period} against the annual target",
    "basis.to_date": "Achievement {to_date} against the annual target",
    "basis.to_date_vs_target_to_date": "Achievement {to_date} against the target of {to_date}",
    "basis.phrase.period": "of {period} against the target of {period}",
    "basis.phrase.period_vs_annual": "of {period} against the annual target",
    "basis.phrase.to_date": "of {to_date} against the annual target",
    "basis.phrase.to_date_vs_target_to_date": "of {to_date} against the target of {to_date}",
    "assessment.met": "met",
    "assessment.not_met": "not met",
    "assessment.not_assessable": "not yet assessable",
    "reason.no_realisation": "no realisation in {span} yet",
    "reason.no_realisation_dash": "no realisation in {span} yet (reported as '-')",
    "reason.no_target": "no target for {span} yet",
    "reason.target_zero": "the target for {span} is 0",
    "reason.not_applicable": "this basis does not apply to the indicator",
    "reason.undefined": "the achievement is not defined: {detail}",
    "reason.incomplete": "incomplete data: nothing reported for {periods}",
    "rollup.all": "All indicators",
    "rollup.objective": "Objective {id}",
    "rollup.activity": "Activity {id}",
    "missing.zero": "counted as 0",
    "missing.exclude": "left out",
    "budget.total": "All activities",
    "chart.achievement": "Achievement {basis}, against 100%",
    "chart.achievement.none": "no figure",
    "chart.budget": "Budget absorption and mean achievement per activity",
    "chart.budget.absorption": "Budget absorption",
    "chart.budget.achievement": "Mean achievement {basis}",
    "chart.progress": "Realisation to date against the target to date, per period",
    "chart.progress.realisation": "Realisation to date",
    "chart.progress.target": "Target to date",
    "chart.progress.category": "category: not drawn",
    "verdict.match": "match",
    "verdict.other_computation": "other computation",
    "verdict.contradiction": "contradiction",
    "verdict.not_reproduced": "not reproduced",
    "verdict.counts": "{total} figures: {match} match, {other} match only another computation, "
    "{contradiction} contradict another published figure, {not_reproduced} not reproduced",
    "trace.indicator": "{id} {name}",
    "trace.rollup": "Roll-up {id}",
    "trace.budget": "Budget {id}",
    "trace.open": "trace",
    "xlsx.notes": "Notes",
    "xlsx.trace": "Trace",
    "xlsx.figure": "Figure",
    "xlsx.cell": "Cell",
    "xlsx.value": "Value",
    "md.traces": "The trace of every figure: `ikueval explain` with the same arguments, or the "
    "HTML report.",
}

_ID: Final[Mapping[str, str]] = {
    "status.computed": "terhitung",
    "status.no_realisation": "belum ada realisasi",
    "status.no_target": "tidak ada target untuk rentang ini",
    "status.target_zero": "target nol",
    "status.not_applicable": "tidak berlaku",
    "status.undefined": "tidak terdefinisi",
    "mark.no_realisation": "b/r",
    "mark.no_target": "t/t",
    "mark.target_zero": "t=0",
    "mark.not_applicable": "t/b",
    "mark.undefined": "t/d",
    "aggregation.cumulative": "kumulatif",
    "aggregation.latest": "nilai terakhir",
    "aggregation.average": "rata-rata",
    "direction.higher": "makin tinggi makin baik",
    "direction.lower": "makin rendah makin baik",
    "rounding": "dibulatkan {mode} ke {places} desimal",
    "table.title": "{office} - aturan {ruleset} - {period}",
    "table.spans": "{spans}; capaian dalam %, {rounding}",
    "table.target": "target",
    "table.realisation": "realisasi",
    "table.achievement": "capaian %",
    "table.iku": "IKU",
    "table.unit": "satuan",
    "table.span.period": "periode",
    "table.span.to_date": "s.d.",
    "table.span.annual": "tahun",
    "table.basis.period": "periode",
    "table.basis.period_vs_annual": "thd tahun",
    "table.basis.to_date": "s.d.",
    "table.basis.to_date_vs_target_to_date": "s.d. thd t.s.d.",
    "table.legend.period": "periode terhadap targetnya",
    "table.legend.period_vs_annual": "periode terhadap target tahunan",
    "table.legend.to_date": "Januari s.d. akhir periode terhadap target tahunan",
    "table.legend.to_date_vs_target_to_date": "s.d. terhadap target s.d.",
    "table.marks": "Tanda: - tidak ada angka, {marks}.",
    "table.notes": "Catatan",
    "table.target_note": "target {name}: {note}",
    "table.no_targets": "tidak ada target untuk periode, s.d. periode, maupun tahun ini",
    "table.indicators": "Indikator",
    "table.rollups": "Rata-rata: capaian {basis}, indikator tanpa capaian {missing}, nilai "
    "anggota {member_values}",
    "table.counted_as_zero": "dihitung 0",
    "table.left_out": "tidak dihitung",
    "table.of": "{count} dari {total}",
    "table.budgets": "Penyerapan anggaran {span}: realisasi / pagu x 100",
    "table.ceiling": "pagu",
    "table.spent": "realisasi",
    "member_values.unrounded": "tanpa pembulatan",
    "member_values.rounded": "dibulatkan",
    "table.composites": "Indeks komposit: anggota digabung seperti ditetapkan [[composites]]",
    "table.comparisons": "Perbandingan: realisasi s.d. periode terhadap target jangka menengah; "
    "rentang yang sama tahun sebelumnya",
    "table.previous": "sebelumnya",
    "table.comparisons_legend": "tahun, target, capaian %: target jangka menengah dan realisasi "
    "s.d. periode terhadapnya; sebelumnya, realisasi, capaian %: rentang yang sama tahun "
    "sebelumnya; perubahan: realisasi tahun ini dikurangi realisasi tahun itu (perubahan %: "
    "dalam persen darinya); poin: capaian s.d. periode tahun ini dikurangi capaian tahun itu, "
    "dalam poin persentase.",
    "table.year": "tahun",
    "table.change": "perubahan",
    "table.change_percent": "perubahan %",
    "table.points": "poin",
    "rollup_method.mean": "rata-rata",
    "rollup_method.weighted": "rata-rata tertimbang",
    "rollup_method.geometric": "rata-rata geometrik",
    "member_figure.achievement": "capaian {basis}",
    "member_figure.realisation": "realisasi {span}",
    "explain.basis.period": "realisasi periode terhadap target periode",
    "explain.basis.period_vs_annual": "realisasi periode terhadap target tahunan",
    "explain.basis.to_date": "realisasi Januari s.d. akhir periode terhadap target tahunan",
    "explain.basis.to_date_vs_target_to_date": "realisasi Januari s.d. akhir periode terhadap "
    "target periode yang sama",
    "explain.method.cumulative": "jumlah",
    "explain.method.latest": "nilai terakhir dari",
    "explain.method.average": "rata-rata total per periode dari",
    "explain.head": "satuan {unit}; {aggregation}; {direction}",
    "explain.objective": "sasaran",
    "explain.activity": "kegiatan",
    "explain.evaluated": "dievaluasi untuk {period}; capaian {rounding}",
    "explain.not_applicable": "tidak berlaku",
    "explain.detailed": "(rinciannya di [{basis}])",
    "explain.achievement_none": "capaian: tidak ada ({status}): {reason}",
    "explain.scale": "pada skala: {r_label} bernilai {r_score}, {t_label} bernilai {t_score}",
    "explain.achievement": "capaian",
    "explain.unrounded": "(tanpa pembulatan)",
    "explain.cap": "batas {cap}% {applies}: {value}",
    "explain.cap_applies": "berlaku",
    "explain.cap_not": "tidak berlaku",
    "explain.rounded": "{rounding}: {value}",
    "explain.range_within": (
        "realisasi berada dalam rentang target {band}: {compared} (aturan rentang {rule})"
    ),
    "explain.range_above": (
        "realisasi berada di atas rentang target {band}: {compared} (aturan rentang {rule})"
    ),
    "explain.range_below": (
        "realisasi berada di bawah rentang target {band}: {compared} (aturan rentang {rule})"
    ),
    "explain.range_bound": "dibandingkan dengan {bound}",
    "explain.range_hundred": "100%",
    "explain.category": "kategori {label} pada skala {scale}: {band}",
    "band.min": "paling sedikit {value}",
    "band.above": "lebih dari {value}",
    "band.below": "kurang dari {value}",
    "band.up_to": "paling banyak {value}",
    "explain.own": "{what} (ketentuan indikator sendiri)",
    "explain.no_cap": 'tanpa batas (indikator menetapkan cap = "none")',
    "explain.realisation": "realisasi {span} = {value} {unit}",
    "explain.realisation_none": "realisasi {span}: tidak ada ({reason})",
    "explain.input": "masukan {name}: ",
    "explain.formula": "rumus: {formula}  dengan {bindings}",
    "explain.no_events": "tidak ada data pada {span}",
    "explain.parts": "{method} {parts} ({events}) = {total}",
    "explain.part_one": "{n} bagian",
    "explain.part_many": "{n} bagian",
    "explain.event_one": "{n} data",
    "explain.event_many": "{n} data",
    "explain.part_events": "({n} data)",
    "explain.from": "dari",
    "explain.note": "catatan: {note}",
    "explain.target": "target {span} = {value} {unit}",
    "explain.target_none": "target {span}: tidak ada ({reason})",
    "explain.targets": "{method} {n} target",
    "explain.budget": "Anggaran {id}: {label}",
    "explain.ceiling": "pagu = {ceiling}  dari {documents}",
    "explain.spending": "{quantity} {span}: saldo terakhir = {balance}",
    "explain.none": "tidak ada",
    "explain.absorption_none": "penyerapan: tidak ada ({reason})",
    "explain.absorption": "penyerapan = realisasi / pagu x 100 = {spent} / {ceiling} x 100",
    "explain.absorption_value": "           = {value} (tanpa pembulatan)",
    "explain.rollup": "Rata-rata {id}: {label}",
    "explain.rollup_policy": "rata-rata capaian {basis} ({member_values}); indikator tanpa "
    "capaian {missing}",
    "explain.rollup_left_out": "tidak dihitung ({status})",
    "explain.rollup_zero": "(dihitung 0: {status})",
    "explain.rollup_none": "tidak ada: {reason}",
    "explain.rollup_sum": "jumlah {total} / {count} = {value}",
    "explain.combine.mean": "jumlah {total} / {weight} = {value}",
    "explain.combine.weighted": "jumlah bobot x nilai {total} / jumlah bobot {weight} = {value}",
    "explain.combine.geometric": "hasil kali {total} ^ (1 / {weight}) = {value}",
    "explain.composite": "Indeks komposit {id}: {label}",
    "explain.composite_policy": "{method} dari {figure} ({member_values}); anggota tanpa nilai "
    "{missing}",
    "explain.composite_weighted": "{value} x bobot {weight} / {declared} = nilai tertimbang "
    "{weighted}",
    "explain.comparison.medium_term": "realisasi Januari s.d. akhir periode terhadap target "
    "jangka menengah",
    "explain.comparison.previous_year": "rentang yang sama tahun sebelumnya",
    "explain.change": "perubahan realisasi = {now} - {then} = {change}",
    "explain.change_none": "perubahan realisasi: tidak ada ({reason})",
    "explain.growth": "dalam persen = {change} / {then} x 100 = {value} (tanpa pembulatan)",
    "explain.points": "perubahan capaian = {now} - {then} = {value} poin persentase (tanpa "
    "pembulatan)",
    "explain.target_inputs": "= {formula}  dengan {bindings}",
    "formula.higher": "realisasi / target x 100",
    "formula.2t-r": "(2 x target - realisasi) / target x 100",
    "formula.t/r": "target / realisasi x 100",
    "formula.none": "makin rendah makin baik, tetapi aturan tidak menetapkan rumusnya",
    "period.year": "Tahun {year}",
    "period.quarter": "Triwulan {roman} {year}",
    "period.quarter.short": "TW {roman}",
    "period.month": "{month} {year}",
    "period.month.short": "{month}",
    "period.span": "s.d. {last}",
    "months": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
    "Desember",
    "report.kind": "Laporan Kinerja",
    "report.title": "Laporan Kinerja {period}",
    "report.meta.office": "Unit kerja",
    "report.meta.ruleset": "Aturan",
    "report.meta.period": "Periode evaluasi",
    "report.meta.spans": "Rentang",
    "report.meta.spans.value": "periode {period} ({period_code}); {to_date} "
    "({to_date_code}); {annual}",
    "report.meta.rounding": "Pembulatan",
    "report.meta.rounding.value": "{mode}, {places} desimal, satu kali di akhir",
    "report.meta.made": "Disusun dengan",
    "report.meta.made.value": "ikueval {version}: setiap angka berasal dari hasil evaluasi dan "
    "tertaut ke jejak perhitungannya",
    "report.contents": "Daftar isi",
    "report.no_data": "-",
    "report.figure_title": "{status}: {reason}",
    "section.agreement": "Perjanjian Kinerja",
    "section.agreement.intro": "Target tahunan setiap Indikator Kinerja Utama (IKU) menurut "
    "sasaran strategis, sebagaimana diambil aturan dari dokumen sumbernya.",
    "section.quarters": "Pengukuran Capaian Kinerja per Periode",
    "section.quarters.intro": "Target dan realisasi setiap periode sampai dengan periode "
    "laporan, per IKU. Angka yang tertulis - tidak ada; alasannya ada pada jejaknya.",
    "section.achievement": "Capaian Kinerja s.d. Periode Laporan",
    "section.achievement.intro": "Setiap kolom capaian menyebut apa yang dibandingkan: "
    "realisasi rentang mana terhadap target rentang mana.",
    "section.status": "Status per Indikator",
    "section.status.intro": "Tercapai bila capaian {basis} paling sedikit 100%. Indikator yang "
    "belum memiliki realisasi atau target untuk rentang tersebut, atau yang datanya tidak "
    "mencakup setiap periode dalam rentang, belum dapat dinilai: data yang belum lengkap tidak "
    "pernah dinyatakan tercapai.",
    "section.rollups": "Rata-rata Capaian",
    "section.rollups.intro": "Rata-rata capaian {basis}; indikator tanpa capaian {missing}; "
    "rata-rata diambil dari capaian {member_values} lalu dibulatkan satu kali.",
    "section.rollups.none": "Aturan tidak menetapkan rata-rata capaian.",
    "section.budget": "Capaian Anggaran dan Kinerja",
    "section.budget.intro": "Penyerapan anggaran (realisasi / pagu x 100, realisasi "
    "{span}) dibandingkan dengan rata-rata capaian {basis} indikator setiap kegiatan.",
    "section.budget.none": "Aturan tidak memuat kegiatan yang beranggaran.",
    "section.comparisons": "Perbandingan dengan Tahun Lalu dan Target Jangka Menengah",
    "section.comparisons.none": "Tidak tersedia: aturan tidak memuat realisasi tahun lalu "
    "maupun target jangka menengah (Renstra) untuk indikator ini.",
    "section.findings": "Konsistensi Perencanaan dan Angka yang Dipublikasikan",
    "section.findings.warnings": "Peringatan tentang perencanaan (ikueval check)",
    "section.findings.no_warnings": "ikueval check tidak menemukan ketidakkonsistenan dalam "
    "perencanaan.",
    "section.findings.reconciliation": "Angka yang dipublikasikan dalam {document} ({title}): "
    "{count} diperiksa terhadap data",
    "section.findings.no_reconciliation": "Tidak ada laporan terbitan yang diberikan "
    "(--published FILE) untuk direkonsiliasi.",
    "section.traces": "Lampiran: Jejak Perhitungan Setiap Angka",
    "section.traces.intro": "Setiap angka pada tabel di atas tertaut ke sini. Setiap jejak "
    "adalah keluaran ikueval explain: data dan sumbernya, cara penjumlahannya, target dan "
    "dokumennya, rumus dengan nilainya, hasil tanpa pembulatan, dan pembulatannya.",
    "col.no": "No",
    "col.iku": "IKU",
    "col.indicator": "Indikator Kinerja",
    "col.unit": "Satuan",
    "col.objective": "Sasaran Strategis",
    "col.target_year": "Target {year}",
    "col.target": "Target",
    "col.realisation": "Realisasi",
    "col.target_of": "Target {span}",
    "col.realisation_of": "Realisasi {span}",
    "col.status": "Status",
    "col.reason": "Keterangan",
    "col.group": "Kelompok",
    "col.name": "Nama",
    "col.members": "Dihitung",
    "col.members.value": "{count} dari {total}",
    "col.activity": "Kegiatan",
    "col.ceiling": "Pagu (Rp)",
    "col.spent": "Realisasi (Rp)",
    "col.absorption": "Penyerapan",
    "col.mean": "Rata-rata capaian {basis}",
    "col.table": "Tabel",
    "col.where": "Letak",
    "col.subject": "Angka",
    "col.column": "Kolom",
    "col.printed": "Tercetak",
    "col.verdict": "Hasil",
    "col.budget": "Anggaran",
    "col.composite": "Indeks komposit",
    "col.method": "Metode",
    "col.combines": "Menggabungkan",
    "col.value": "Nilai",
    "col.medium_term": "Target jangka menengah {year}",
    "col.previous_year": "Tahun sebelumnya {period}",
    "col.achievement": "Capaian",
    "col.change": "Perubahan",
    "col.change_percent": "Perubahan (%)",
    "col.points": "Perubahan capaian (poin)",
    "section.rollups.composites": "Indeks komposit yang ditetapkan aturan",
    "section.comparisons.intro": "Realisasi s.d. periode terhadap target jangka menengah "
    "(Renstra), dan terhadap rentang yang sama tahun sebelumnya: realisasi dan capaiannya, "
    "perubahan realisasi dan perubahan capaian (dalam poin persentase).",
    "composite.achievement": "capaian {basis}",
    "composite.realisation": "realisasi {span}",
    "trace.composite": "Indeks komposit {id}",
    "basis.period": "Capaian {period} terhadap target {period}",
    "basis.period_vs_annual": "Capaian {period} terhadap target tahunan",
    "basis.to_date": "Capaian {to_date} terhadap target tahunan",
    "basis.to_date_vs_target_to_date": "Capaian {to_date} terhadap target {to_date}",
    "basis.phrase.period": "{period} terhadap target {period}",
    "basis.phrase.period_vs_annual": "{period} terhadap target tahunan",
    "basis.phrase.to_date": "{to_date} terhadap target tahunan",
    "basis.phrase.to_date_vs_target_to_date": "{to_date} terhadap target {to_date}",
    "assessment.met": "tercapai",
    "assessment.not_met": "belum tercapai",
    "assessment.not_assessable": "belum dapat dinilai",
    "reason.no_realisation": "belum ada realisasi {span}",
    "reason.no_realisation_dash": "belum ada realisasi {span} (dilaporkan '-')",
    "reason.no_target": "belum ada target {span}",
    "reason.target_zero": "target {span} bernilai 0",
    "reason.not_applicable": "dasar perhitungan ini tidak berlaku untuk indikator ini",
    "reason.undefined": "capaian tidak terdefinisi: {detail}",
    "reason.incomplete": "data belum lengkap: tidak ada laporan untuk {periods}",
    "rollup.all": "Seluruh indikator",
    "rollup.objective": "Sasaran {id}",
    "rollup.activity": "Kegiatan {id}",
    "missing.zero": "dihitung 0",
    "missing.exclude": "tidak dihitung",
    "budget.total": "Seluruh kegiatan",
    "chart.achievement": "Capaian {basis}, terhadap 100%",
    "chart.achievement.none": "tidak ada angka",
    "chart.budget": "Penyerapan anggaran dan rata-rata capaian per kegiatan",
    "chart.budget.absorption": "Penyerapan anggaran",
    "chart.budget.achievement": "Rata-rata capaian {basis}",
    "chart.progress": "Realisasi s.d. periode terhadap target s.d. periode",
    "chart.progress.realisation": "Realisasi s.d. periode",
    "chart.progress.target": "Target s.d. periode",
    "chart.progress.category": "kategori: tidak digambar",
    "verdict.match": "sesuai",
    "verdict.other_computation": "perhitungan lain",
    "verdict.contradiction": "bertentangan",
    "verdict.not_reproduced": "tidak dapat direproduksi",
    "verdict.counts": "{total} angka: {match} sesuai, {other} hanya sesuai dengan perhitungan "
    "lain, {contradiction} bertentangan dengan angka terbitan lain, {not_reproduced} tidak dapat "
    "direproduksi",
    "trace.indicator": "{id} {name}",
    "trace.rollup": "Rata-rata {id}",
    "trace.budget": "Anggaran {id}",
    "trace.open": "jejak",
    "xlsx.notes": "Catatan",
    "xlsx.trace": "Jejak",
    "xlsx.figure": "Angka",
    "xlsx.cell": "Sel",
    "xlsx.value": "Nilai",
    "md.traces": "Jejak setiap angka: `ikueval explain` dengan argumen yang sama, atau laporan "
    "HTML.",
}

#: The labels of each language; every language has the same keys.
LABELS: Final[Mapping[Lang, Mapping[str, str]]] = {Lang.ID: _ID, Lang.EN: _EN}

#: The families of labels written once per member of an enum: the label
#: ``f"{family}.{member.value}"`` of every member, in every language, and no other
#: label of that form (``tests/test_registries.py`` checks it). Adding a basis, an
#: aggregation method, a lower-is-better formula or a span is adding its words to
#: each of its families (``docs/extending.md``).
MEMBER_LABELS: Final[Mapping[str, type[Enum]]] = {
    "status": Status,
    "mark": Status,
    "aggregation": Aggregation,
    "explain.method": Aggregation,
    "direction": Direction,
    "formula": LowerIsBetter,
    "table.span": SpanName,
    "table.basis": Basis,
    "table.legend": Basis,
    "explain.basis": Basis,
    "basis": Basis,
    "basis.phrase": Basis,
    "missing": MissingPolicy,
    "member_values": MemberValues,
    "rollup_method": RollupMethod,
    "explain.combine": RollupMethod,
    "member_figure": MemberFigure,
    "assessment": Assessment,
    "verdict": Verdict,
}
#: Members a family leaves out, and labels of a family's form that are no member.
MEMBER_LABELS_EXCEPT: Final[Mapping[str, frozenset[str]]] = {
    "mark": frozenset({"computed"}),  # a computed figure shows its value, not a mark
    "formula": frozenset({"higher", "none"}),  # higher is better; no formula declared
    "verdict": frozenset({"counts"}),  # the count of each verdict
}

_ROMAN: Final = ("I", "II", "III", "IV")


class Words:
    """The labels of one language, filled in: ``Words(Lang.ID)("col.target_year", year=2025)``."""

    __slots__ = ("_labels", "lang")

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._labels = LABELS[lang]

    def __call__(self, key: str, /, **fields: object) -> str:
        """The label ``key`` with its fields filled in.

        Raises:
            KeyError: when there is no such label.
        """
        template = self._labels[key]
        if not fields and "{" not in template:
            return template
        return template.format(**fields)

    def count(self, key: str, n: int) -> str:
        """``key.one`` or ``key.many`` (``part_one``, ``part_many``) for ``n``."""
        return self(f"{key}_{'one' if n == 1 else 'many'}", n=n)

    def period(self, text: str, *, short: bool = False) -> str:
        """A period or span label (``2025-Q2``, ``2025-Q1..2025-Q2``) as people say it."""
        if ".." in text:
            first, last = text.split("..", 1)
            return self(
                "period.span",
                first=self.period(first, short=True),
                last=self.period(last, short=short),
            )
        period = Period.parse(text)
        suffix = ".short" if short else ""
        if period.granularity is Granularity.QUARTER:
            q = (period.start.month + 2) // 3
            return self(f"period.quarter{suffix}", q=q, roman=_ROMAN[q - 1], year=period.year)
        if period.granularity is Granularity.MONTH:
            month = self("months").split()[period.start.month - 1]
            return self(f"period.month{suffix}", month=month, year=period.year)
        if period.granularity is Granularity.YEAR:
            return self("period.year", year=period.year)
        return period.label
