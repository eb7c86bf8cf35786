"""Deterministic demo data. Each app contributes a ``demo.py`` with ``register(...)`` calls;
the ``demo_data`` command runs the loaders in order with one seeded random generator, so
the same command always gives the same organisations, people and logins."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

DEMO_PASSWORD = "Osallisuus-demo-2026"  # noqa: S105 - printed for the local demo only
DEMO_SEED = 2026


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    password: str = DEMO_PASSWORD
    scale: float = 1.0
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    """(role label, e-mail, note) for the README and the command's output."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Loader:
    name: str
    order: int
    func: Callable[[DemoContext], None]


_LOADERS: list[Loader] = []


def register(name: str, order: int) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    def decorator(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if not any(loader.name == name for loader in _LOADERS):
            _LOADERS.append(Loader(name, order, func))
        return func

    return decorator


def loaders() -> list[Loader]:
    autodiscover_modules("demo")
    return sorted(_LOADERS, key=lambda loader: (loader.order, loader.name))


def load_all(ctx: DemoContext | None = None, only: set[str] | None = None) -> DemoContext:
    ctx = ctx or DemoContext()
    for loader in loaders():
        if only is None or loader.name in only:
            loader.func(ctx)
    return ctx
