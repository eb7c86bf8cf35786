"""Scoring: from a person's answers to a raw score, a reported score and a band.

* Reverse-coded items count as ``low + high - value`` on their scale.
* ``sum`` adds the scored items answered; ``mean`` averages them. Only answered items
  count; when no scored item is answered there is no score.
* The linear transform maps ``from: [a, b]`` onto ``to: [c, d]``:
  ``c + (raw - a) * (d - c) / (b - a)`` (e.g. a mean on 1–5 onto 0–100).
* The band is the last band whose ``min`` is at most the reported score.

Computed with exact fractions and rounded once at the end (raw to 4, score to 3 decimals,
half up), so the result does not depend on the order of the items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from .definition import transform_value


@dataclass(frozen=True)
class ItemRule:
    code: str
    low: int
    high: int
    reverse: bool
    scored: bool


@dataclass(frozen=True)
class Score:
    raw: Decimal | None
    score: Decimal | None
    band: str


NO_SCORE = Score(None, None, "")


def to_decimal(value: Fraction, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator) if value.denominator != 1 else Decimal(value.numerator)
    )
    # Decimal division has 28 significant digits: enough before rounding to 3–4 places.
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def rules_from_definition(definition: Mapping[str, Any]) -> list[ItemRule]:
    ranges = {
        s["code"]: (min(p["value"] for p in s["points"]), max(p["value"] for p in s["points"]))
        for s in definition["scales"]
    }
    rules = []
    for item in definition["items"]:
        low, high = ranges.get(item["scale"], (0, 0))
        rules.append(ItemRule(item["code"], low, high, item["reverse"], item["scored"] and bool(item["scale"])))
    return rules


def band_for(score: Decimal, bands: Sequence[Mapping[str, Any]]) -> str:
    found = ""
    for band in bands:
        if Decimal(str(band["min"])) <= score:
            found = band["code"]
    return found


def compute(
    *,
    method: str,
    transform: Mapping[str, Any],
    bands: Sequence[Mapping[str, Any]],
    rules: Sequence[ItemRule],
    values: Mapping[str, int | None],
) -> Score:
    if method == "none":
        return NO_SCORE
    counted: list[Fraction] = []
    for rule in rules:
        if not rule.scored:
            continue
        value = values.get(rule.code)
        if value is None:
            continue
        counted.append(Fraction(rule.low + rule.high - value) if rule.reverse else Fraction(value))
    if not counted:
        return NO_SCORE
    raw = sum(counted, Fraction(0))
    if method == "mean":
        raw = raw / len(counted)
    score = to_decimal(transform_value(raw, dict(transform)), 3)
    return Score(to_decimal(raw, 4), score, band_for(score, bands))
