"""How strongly a provider says it identified the person: the ID token's ``acr`` and ``amr``.

* **Strong identification**: ``acr`` is one of the provider's ``STRONG_ACR`` values (by default
  Suomi.fi's levels: FTN loa2/loa3 and eIDAS substantial/high). Strong electronic identification
  (act 617/2009) always uses two factors, so it is multi-factor too.
* **Multi-factor**: strong, or ``acr`` is one of the provider's ``MFA_ACR`` values, or ``amr``
  holds one of its ``MFA_AMR`` values (by default ``mfa``), or ``amr`` names methods of two
  different kinds of factor (RFC 8176: something the person knows, has or is), e.g.
  ``["pwd", "otp"]``.

A staff login that is multi-factor counts as the second factor; otherwise the one-time code
is still asked. Nothing else of the token is read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# RFC 8176 authentication method reference values by the kind of factor they are.
KNOWLEDGE = frozenset({"pwd", "pin", "kba"})
POSSESSION = frozenset({"otp", "hwk", "swk", "sms", "tel", "sc", "pop"})
INHERENCE = frozenset({"fpt", "face", "iris", "retina", "vbm"})
FACTOR_KINDS = (KNOWLEDGE, POSSESSION, INHERENCE)


@dataclass(frozen=True)
class Assurance:
    acr: str = ""
    amr: tuple[str, ...] = ()
    multi_factor: bool = False
    strong: bool = False

    def as_session(self) -> dict[str, object]:
        return {"acr": self.acr, "amr": list(self.amr), "multi_factor": self.multi_factor, "strong": self.strong}


def _amr_values(amr: object) -> tuple[str, ...]:
    if isinstance(amr, str):
        return (amr,) if amr else ()
    if isinstance(amr, Iterable):
        return tuple(dict.fromkeys(str(v)[:50] for v in amr if isinstance(v, str) and v))[:20]
    return ()


def factor_kinds(amr: Iterable[str]) -> int:
    """How many different kinds of factor the methods cover (0–3)."""
    values = set(amr)
    return sum(1 for kind in FACTOR_KINDS if values & kind)


def assess(
    *,
    acr: object,
    amr: object,
    strong_acr: frozenset[str],
    mfa_amr: frozenset[str],
    mfa_acr: frozenset[str] = frozenset(),
) -> Assurance:
    acr_value = acr[:200] if isinstance(acr, str) else ""
    methods = _amr_values(amr)
    strong = bool(acr_value) and acr_value in strong_acr
    multi = strong or acr_value in mfa_acr or bool(set(methods) & mfa_amr) or factor_kinds(methods) >= 2
    return Assurance(acr=acr_value, amr=methods, multi_factor=multi, strong=strong)
