"""Partnership funding in the authorization matrix: each half of the module lists its own URLs
(``authz_money``: payments, loans, groups and the portfolio)."""

from __future__ import annotations

from typing import Any

from .authz_money import MATRIX as MONEY_MATRIX
from .authz_money import build as build_money

MATRIX = {**MONEY_MATRIX}


def build(personas: Any) -> dict[str, Any]:
    return build_money(personas)
