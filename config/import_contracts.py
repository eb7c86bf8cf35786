"""An import-linter contract type for the boundaries between the apps of ``osallisuus``.

``app_boundaries`` checks every import from one app (``osallisuus.<a>``) into another
(``osallisuus.<b>``):

* with ``allowed_modules`` (e.g. ``services selectors permissions``), only those modules of
  ``<b>`` (and what is inside them, when they are packages) may be imported from ``<a>``;
* with ``private_modules`` (e.g. ``models``), those modules of ``<b>`` may not be.

Apps named in ``open_apps`` are not checked as targets by an ``allowed_modules`` contract
(the foundation's ``core`` offers its helpers to every app). Imports by modules matching
``exempt_importers`` (tests, migrations) are not checked. Imports made only for type checking
are left out by ``exclude_type_checking_imports`` in the ``[importlinter]`` section.
New apps are covered without changing the configuration.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def _strings(value: Any) -> set[str]:
    """A list option of the contract as strings (import-linter gives a list, or nothing)."""
    return {str(item) for item in (value or [])}


class AppBoundariesContract(Contract):
    type_name = "app_boundaries"

    root = fields.StringField()
    allowed_modules = fields.ListField(subfield=fields.StringField(), required=False)
    private_modules = fields.ListField(subfield=fields.StringField(), required=False)
    open_apps = fields.ListField(subfield=fields.StringField(), required=False)
    exempt_importers = fields.ListField(subfield=fields.StringField(), required=False)
    pending = fields.ListField(subfield=fields.StringField(), required=False)
    """``importer -> imported`` links still to be removed; a link listed here that no longer
    exists breaks the contract, so the list only shrinks."""

    def _app_of(self, module: str) -> str | None:
        root = str(self.root)
        parts = module.split(".")
        if len(parts) < 2 or parts[0] != root:
            return None
        return parts[1]

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        root = str(self.root)
        allowed = _strings(self.allowed_modules)
        private = _strings(self.private_modules)
        open_apps = _strings(self.open_apps)
        exempt = sorted(_strings(self.exempt_importers))
        pending = {p.replace(" ", "") for p in _strings(self.pending)}
        used: set[str] = set()
        broken: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            importer_app = self._app_of(importer)
            if importer_app is None or any(fnmatch.fnmatchcase(importer, pattern) for pattern in exempt):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app = self._app_of(imported)
                if imported_app is None or imported_app == importer_app:
                    continue
                parts = imported.split(".")
                first = parts[2] if len(parts) > 2 else ""
                if private and first in private:
                    reason = f"{root}.{imported_app}.{first} belongs to {imported_app}"
                elif allowed and imported_app not in open_apps and first and first not in allowed:
                    reason = f"{imported_app} is reached through {', '.join(sorted(allowed))} only"
                else:
                    continue
                if f"{importer}->{imported}" in pending:
                    used.add(f"{importer}->{imported}")
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                broken.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "lines": tuple(d["line_number"] for d in details),
                        "reason": reason,
                    }
                )
        for stale in sorted(pending - used):
            importer, _arrow, imported = stale.partition("->")
            broken.append(
                {"importer": importer, "imported": imported, "lines": (), "reason": "listed as pending but gone"}
            )
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for link in check.metadata["broken"]:
            lines = ", ".join(str(n) for n in link["lines"]) or "-"
            output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines}): {link['reason']}", bold=False)
            output.new_line()
