"""Drawing the fuzzer's inputs: input number N of seed S is one scenario with one
or two of its files mutated, the same on every machine and whatever ran before."""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, TypeVar

from . import structured
from .ledger_plans import LedgerPlan, draw_ledger
from .mutations import (
    BYTE_MUTATIONS,
    TEXT_MUTATIONS,
    Context,
    decode,
    encode,
    flip_bit,
    near_miss,
)
from .scenarios import Scenario, files_of_kind, kind_of, scenarios
from .values import CHARACTERS, LENGTHS, WORDS

T = TypeVar("T")

#: How many mutations one file gets: mostly one, so that most inputs are near
#: a real file and get past the first check, sometimes several.
MUTATION_COUNTS: Final = (1, 1, 1, 1, 2, 2, 3, 5)
#: How often a name is changed in every file of an input (otherwise one file is mutated).
RENAME_EVERYWHERE: Final = 0.15


@dataclass(frozen=True)
class FuzzInput:
    """One input of the fuzzer.

    Args:
        seed: the run's seed.
        index: the input's number in the run (with the seed, it gives the input).
        scenario: what was mutated.
        files: every file of the scenario, mutated or not, by relative path.
        mutations: ``PATH: NAME`` of each mutation applied, in order.
        encoding: the encoding of the command line's output streams.
        lang: the language of the renderings.
        ledger: what the input also does with a ledger store, if anything
            (:mod:`fuzz.ledger_plans`).
    """

    seed: str
    index: int
    scenario: Scenario
    files: Mapping[str, bytes]
    mutations: tuple[str, ...]
    encoding: str = "utf-8"
    lang: str = "en"
    ledger: LedgerPlan | None = None

    @property
    def changed(self) -> list[str]:
        """The paths of the files that differ from the scenario's."""
        return [p for p, c in self.files.items() if self.scenario.files.get(p) != c]

    @property
    def size(self) -> int:
        """Bytes of every file, each file's name counted once per line.

        Every figure's trail names the lines it comes from (``events/x.csv:12``),
        so an output may repeat a file's name for each of its lines.
        """
        return sum(len(c) + (c.count(b"\n") + 1) * len(p) for p, c in self.files.items())


def mutate(rng: random.Random, content: bytes, context: Context) -> tuple[bytes, str]:
    """One mutation of ``content``: the new content and the mutation's name.

    Mutations aware of the format are drawn most often, then text ones, then
    byte ones; one that does not apply or changes nothing is drawn again.
    """
    for _ in range(8):
        layer = rng.choices(("structured", "text", "bytes"), (5, 4, 1))[0]
        if layer == "bytes":
            byte_mutation = _draw(rng, BYTE_MUTATIONS)
            changed = byte_mutation(rng, content)
            name = byte_mutation.__name__
        else:
            table = structured.MUTATIONS[context.kind] if layer == "structured" else TEXT_MUTATIONS
            mutation = _draw(rng, table)
            text = mutation(rng, decode(content), context)
            changed = None if text is None else encode(text)
            name = mutation.__name__
        if changed is not None and changed != content:
            return changed, name
    return flip_bit(rng, content) or b"\x00", "flip_bit"


def _draw(rng: random.Random, table: Sequence[tuple[T, int]]) -> T:
    return rng.choices([item for item, _ in table], [weight for _, weight in table])[0]


@cache
def all_scenarios() -> tuple[Scenario, ...]:
    """The scenarios, read once per process."""
    return tuple(scenarios())


@cache
def contexts() -> dict[str, Context]:
    """The words and donor files of each kind of file, from the whole corpus."""
    found = all_scenarios()
    result = {}
    for kind in ("toml", "csv", "json"):
        donors = files_of_kind(found, kind)
        words = sorted(set(_words(kind, donors)))
        result[kind] = Context(kind, words, donors)
    return result


_WORD: Final = re.compile(r"^[\w.\-:/ %]{1,40}$")


def _words(kind: str, donors: Sequence[bytes]) -> Iterator[str]:
    """Keys, column names and short texts (ids, units, periods) of the donor files."""
    for donor in donors:
        text = decode(donor)
        if kind == "csv":
            for line in text.splitlines():
                if not line.startswith("#"):
                    yield from (c for c in re.split("[,;\t]", line) if _WORD.match(c))
            continue
        try:
            tree = tomllib.loads(text) if kind == "toml" else json.loads(text)
        except (ValueError, RecursionError):
            continue
        yield from (w for w in _strings(tree) if _WORD.match(w))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def scenario_named(name: str) -> Scenario:
    """The scenario of this name.

    Raises:
        KeyError: there is none.
    """
    for scenario in all_scenarios():
        if scenario.name == name:
            return scenario
    raise KeyError(name)


def draw_input(seed: str, index: int) -> FuzzInput:
    """Input number ``index`` of the run with ``seed``."""
    rng = random.Random(f"{seed}:{index}")
    found = all_scenarios()
    scenario = rng.choices(found, [s.weight for s in found])[0]
    files = dict(scenario.files)
    paths = sorted(files)
    weights = [_target_weight(p, scenario) for p in paths]
    targets = rng.choices(paths, weights, k=rng.choice((1, 1, 1, 1, 2)))
    applied = []
    if rng.random() < RENAME_EVERYWHERE:
        renamed = rename_everywhere(rng, files)
        if renamed is not None:
            files, name = renamed
            applied.append(f"every file: {name}")
            targets = targets[:0] if rng.random() < 0.7 else targets
    for path in targets:
        context = contexts()[kind_of(path)]
        for _ in range(rng.choice(MUTATION_COUNTS)):
            files[path], name = mutate(rng, files[path], context)
            applied.append(f"{path}: {name}")
    return FuzzInput(
        seed=seed,
        index=index,
        scenario=scenario,
        files=files,
        mutations=tuple(applied),
        encoding=rng.choice(("utf-8",) * 7 + ("ascii",)),
        lang=rng.choice(("en", "id")),
        ledger=draw_ledger(seed, index),  # a stream of its own: the files stay as they were
    )


_NAME: Final = re.compile(r"(?<![\w-])[A-Za-z_][\w-]+(?![\w-])")


def rename_everywhere(
    rng: random.Random, files: dict[str, bytes]
) -> tuple[dict[str, bytes], str] | None:
    """A name that several files share (an id, a dimension, an input, a unit) changed in all.

    The files still agree with each other, so the input gets as far as a valid
    one, with a name that is long, a near miss, or holds odd characters.
    """
    texts = {path: decode(content) for path, content in files.items()}
    seen: dict[str, set[str]] = {}
    for path, text in texts.items():
        code = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))
        for name in set(_NAME.findall(code)):
            seen.setdefault(name, set()).add(path)
    shared = sorted(name for name, paths in seen.items() if len(paths) > 1)
    if not shared:
        return None
    old = rng.choice(shared)
    length = rng.choice(LENGTHS[1:])
    new = rng.choice(
        (
            (old * (length // len(old) + 1))[:length] or "x",
            near_miss(rng, old),
            old + rng.choice(CHARACTERS),
            rng.choice(WORDS) or "_",
        )
    )
    pattern = re.compile(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])")
    renamed = {path: encode(pattern.sub(lambda _: new, text)) for path, text in texts.items()}
    return renamed, f"rename_everywhere {old!r} to {new[:40]!r} ({len(new)} characters)"


def _target_weight(path: str, scenario: Scenario) -> float:
    """Rule files and published figures as often as all event files together."""
    if kind_of(path) == "toml":
        return 1.0
    events = sum(1 for p in scenario.files if kind_of(p) != "toml")
    return 1.0 / events
