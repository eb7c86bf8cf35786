"""The licence file and the notice of third-party front-end licences are kept up to date."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_licence__is_the_eupl_1_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Appendix" in text


def test_notice__names_every_front_end_package_with_its_licence():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    packages = {
        path.removeprefix("node_modules/"): info
        for path, info in lock.get("packages", {}).items()
        if path.startswith("node_modules/") and not info.get("dev")
    }
    assert packages, "package-lock.json lists no packages"
    for name, info in packages.items():
        line = re.search(rf"^- {re.escape(name)} {re.escape(info['version'])}\b.*$", notice, re.M)
        assert line, f"NOTICE does not name {name} {info['version']}"
        licence = info.get("license", "")
        assert licence, f"package-lock.json has no licence for {name}"
        wanted = {"MIT": "MIT", "0BSD": "0BSD", "BSD-2-Clause": "BSD", "ISC": "ISC", "Apache-2.0": "Apache"}
        assert wanted.get(licence, licence) in notice.split(f"- {name} ", 1)[1].split("\n- ", 1)[0], (
            f"NOTICE does not give {name}'s licence {licence}"
        )


def test_runtime_dependencies__hold_no_gpl_package():
    base = (ROOT / "requirements" / "base.in").read_text(encoding="utf-8").lower()
    assert "pabutools" not in base
