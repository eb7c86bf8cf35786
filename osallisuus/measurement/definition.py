"""The instrument file format ``osallisuus.instrument/1``: reading, checking, writing.

An instrument file is JSON (UTF-8). Its JSON Schema is ``docs/measurement-instrument.schema.json``,
also served at ``/measurement/instrument-schema.json``. This module checks the same rules
as the schema and more (references between scales, items and bands), and names the line
and the field of every problem, e.g. ``line 14, items[2].scale: …``.

``parse`` returns a canonical definition (defaults filled in, keys in a fixed order):
that is what is stored, exported and compared. Two files with the same canonical
definition are the same instrument version, whatever their spacing.
"""

from __future__ import annotations

import hashlib
import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "osallisuus.instrument/1"
MAX_FILE_BYTES = 1024 * 1024
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
KINDS = ("questionnaire", "external")
METHODS = ("none", "sum", "mean")
ITEM_KINDS = ("choice", "text")

TOP_KEYS = {
    "$schema",
    "format",
    "code",
    "version",
    "kind",
    "name",
    "owner",
    "licence",
    "attribution",
    "url",
    "validated_scale",
    "demo",
    "languages",
    "instructions",
    "purpose",
    "group_reporting_only",
    "allow_sharing_with_worker",
    "scales",
    "items",
    "scoring",
    "bands",
}
SCALE_KEYS = {"code", "points"}
POINT_KEYS = {"value", "label"}
ITEM_KEYS = {"code", "kind", "text", "help", "scale", "required", "reverse", "scored"}
SCORING_KEYS = {"method", "transform"}
TRANSFORM_KEYS = {"from", "to"}
BAND_KEYS = {"code", "min", "label"}


@dataclass(frozen=True)
class Problem:
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.path or _("the whole file"),
            "message": self.message,
        }


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# -- JSON with positions --------------------------------------------------------------------
class _Located(dict):
    """A JSON object that remembers where it starts and ends in the text."""

    start: int = 0
    end: int = 0


class _LocatingDecoder(json.JSONDecoder):
    def __init__(self) -> None:
        super().__init__()
        self.objects: list[_Located] = []

        def parse_object(s_and_end: tuple[str, int], *args: Any, **kwargs: Any) -> tuple[_Located, int]:
            _text, begin = s_and_end
            plain, end = json.decoder.JSONObject(s_and_end, *args, **kwargs)  # type: ignore[attr-defined]
            located = _Located(plain)
            located.start, located.end = begin - 1, end
            self.objects.append(located)
            return located, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]


class _Locator:
    def __init__(self, text: str, objects: list[_Located]) -> None:
        self.text = text
        self.objects = objects

    def line_at(self, pos: int) -> int:
        return self.text.count("\n", 0, max(0, pos)) + 1

    def line_of(self, obj: Any, key: str | None = None) -> int:
        if not isinstance(obj, _Located):
            return 1
        if key is None:
            return self.line_at(obj.start)
        children = [o for o in self.objects if obj.start < o.start and o.end <= obj.end]
        for match in re.finditer(rf'"{re.escape(json.dumps(key)[1:-1])}"\s*:', self.text[obj.start : obj.end]):
            pos = obj.start + match.start()
            if not any(c.start <= pos < c.end for c in children):
                return self.line_at(pos)
        return self.line_at(obj.start)


def load_json(raw: bytes | str) -> tuple[Any, _Locator]:
    """Parse JSON, keeping where each object is. Raises ``DefinitionError`` for bad JSON."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise DefinitionError([Problem(1, "", _("The file is larger than 1 MB."))])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DefinitionError([Problem(line, "", _("The file is not UTF-8 text."))]) from None
    else:
        text = raw
    decoder = _LocatingDecoder()
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [Problem(exc.lineno, "", _("This is not valid JSON (%(reason)s).") % {"reason": exc.msg})]
        ) from None
    return data, _Locator(text, decoder.objects)


# -- checking ---------------------------------------------------------------------------
class _Checker:
    def __init__(self, locator: _Locator) -> None:
        self.loc = locator
        self.problems: list[Problem] = []

    def add(self, obj: Any, key: str | None, path: str, message: str) -> None:
        self.problems.append(Problem(self.loc.line_of(obj, key), path, message))

    def unknown_keys(self, obj: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in obj:
            if key not in allowed:
                self.add(obj, key, f"{path}.{key}" if path else key, _("unknown field (check the spelling)"))

    def obj(self, parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> dict[str, Any] | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.add(parent, None, path, _("this field is required"))
            return None
        if not isinstance(value, dict):
            self.add(parent, key, path, _("must be an object {…}"))
            return None
        return value

    def text(
        self, parent: dict[str, Any], key: str, path: str, *, required: bool = True, max_length: int = 5000
    ) -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.add(parent, None, path, _("this field is required"))
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(parent, key, path, _("must be a non-empty text"))
            return ""
        if len(value) > max_length:
            self.add(parent, key, path, _("is longer than %(count)d characters") % {"count": max_length})
            return ""
        return value

    def flag(self, parent: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = parent.get(key, default)
        if not isinstance(value, bool):
            self.add(parent, key, path, _("must be true or false"))
            return default
        return value

    def number(self, parent: Any, key: str | None, value: Any, path: str) -> Fraction | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(parent, key, path, _("must be a number"))
            return None
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)

    def code(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = self.text(parent, key, path, max_length=60)
        if value and not CODE_RE.match(value):
            self.add(parent, key, path, _("use only small letters a–z, digits, - and _ (at most 60)"))
            return ""
        return value

    def texts(
        self, parent: dict[str, Any], key: str, path: str, languages: list[str], *, required: bool = True
    ) -> dict[str, str]:
        value = parent.get(key)
        if value is None:
            if required:
                self.add(parent, None, path, _("this field is required"))
            return {}
        if not isinstance(value, dict):
            self.add(parent, key, path, _('must be an object with one text per language, e.g. {"fi": "…"}'))
            return {}
        result: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in languages:
                self.add(value, lang, f"{path}.{lang}", _("this language is not listed in languages"))
            elif not isinstance(text, str) or not text.strip():
                self.add(value, lang, f"{path}.{lang}", _("must be a non-empty text"))
            elif len(text) > 5000:
                self.add(value, lang, f"{path}.{lang}", _("is longer than %(count)d characters") % {"count": 5000})
            else:
                result[lang] = text
        if required or value:
            missing = [lang for lang in languages if lang not in value]
            if missing:
                self.add(parent, key, path, _("text missing in: %(languages)s") % {"languages": ", ".join(missing)})
        return {lang: result[lang] for lang in languages if lang in result}


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _plain_number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def check(data: Any, locator: _Locator) -> dict[str, Any]:
    """Check a parsed file; return the canonical definition or raise ``DefinitionError``."""
    c = _Checker(locator)
    if not isinstance(data, dict):
        raise DefinitionError([Problem(1, "", _("The file must contain one JSON object {…}."))])
    c.unknown_keys(data, TOP_KEYS, "")
    if data.get("format") != FORMAT:
        c.add(data, "format" if "format" in data else None, "format", _('must be "%(format)s"') % {"format": FORMAT})
    code = c.code(data, "code", "code")
    version = c.text(data, "version", "version", max_length=20)
    kind = data.get("kind", "questionnaire")
    if kind not in KINDS:
        c.add(data, "kind", "kind", _("must be one of: %(values)s") % {"values": ", ".join(KINDS)})
        kind = "questionnaire"
    languages: list[str] = []
    raw_languages = data.get("languages")
    if not isinstance(raw_languages, list) or not raw_languages:
        c.add(data, "languages" if "languages" in data else None, "languages", _('must be a list such as ["fi", "sv"]'))
    else:
        for i, lang in enumerate(raw_languages):
            if not isinstance(lang, str) or not LANG_RE.match(lang) or lang in languages:
                c.add(data, "languages", f"languages[{i}]", _('must be a language code such as "fi", each once'))
            else:
                languages.append(lang)
    name = c.texts(data, "name", "name", languages)
    owner = c.text(data, "owner", "owner", max_length=200)
    licence = c.text(data, "licence", "licence", required=False)
    attribution = c.text(data, "attribution", "attribution", required=False)
    url = c.text(data, "url", "url", required=kind == "external", max_length=200)
    if url and not url.startswith("https://"):
        c.add(data, "url", "url", _("must be an https:// address"))
    instructions = c.texts(data, "instructions", "instructions", languages, required=False)
    purpose = c.texts(data, "purpose", "purpose", languages, required=False)
    validated = c.flag(data, "validated_scale", "validated_scale", False)
    demo = c.flag(data, "demo", "demo", False)
    group_only = c.flag(data, "group_reporting_only", "group_reporting_only", False)
    sharing = c.flag(data, "allow_sharing_with_worker", "allow_sharing_with_worker", False)
    if group_only and sharing:
        c.add(
            data,
            "allow_sharing_with_worker",
            "allow_sharing_with_worker",
            _("cannot be true when group_reporting_only is true"),
        )
    if demo and validated:
        c.add(data, "demo", "demo", _("a demo instrument cannot be a validated scale"))

    # scales
    scales: list[dict[str, Any]] = []
    scale_ranges: dict[str, tuple[int, int]] = {}
    raw_scales = data.get("scales", [])
    if not isinstance(raw_scales, list):
        c.add(data, "scales", "scales", _("must be a list"))
        raw_scales = []
    for si, scale in enumerate(raw_scales):
        spath = f"scales[{si}]"
        if not isinstance(scale, dict):
            c.add(data, "scales", spath, _("must be an object {…}"))
            continue
        c.unknown_keys(scale, SCALE_KEYS, spath)
        scode = c.code(scale, "code", f"{spath}.code")
        if scode and scode in scale_ranges:
            c.add(scale, "code", f"{spath}.code", _('the code "%(code)s" is used twice') % {"code": scode})
        points_raw = scale.get("points")
        points: list[dict[str, Any]] = []
        if not isinstance(points_raw, list) or len(points_raw) < 2:
            c.add(scale, "points" if "points" in scale else None, f"{spath}.points", _("must list at least 2 points"))
            points_raw = []
        values: list[int] = []
        for pi, point in enumerate(points_raw):
            ppath = f"{spath}.points[{pi}]"
            if not isinstance(point, dict):
                c.add(scale, "points", ppath, _("must be an object {…}"))
                continue
            c.unknown_keys(point, POINT_KEYS, ppath)
            value = point.get("value")
            if isinstance(value, bool) or not isinstance(value, int) or not -1000 <= value <= 1000:
                c.add(point, "value" if "value" in point else None, f"{ppath}.value", _("must be a whole number"))
                continue
            if value in values:
                c.add(point, "value", f"{ppath}.value", _("the value %(value)d is used twice") % {"value": value})
                continue
            values.append(value)
            points.append({"value": value, "label": c.texts(point, "label", f"{ppath}.label", languages)})
        if scode and values:
            scale_ranges[scode] = (min(values), max(values))
            scales.append({"code": scode, "points": points})

    # items
    items: list[dict[str, Any]] = []
    raw_items = data.get("items", [])
    if not isinstance(raw_items, list):
        c.add(data, "items", "items", _("must be a list"))
        raw_items = []
    if kind == "external" and raw_items:
        c.add(data, "items", "items", _("an external instrument is only recorded here: it has no items"))
        raw_items = []
    if kind == "questionnaire" and not raw_items:
        c.add(data, "items" if "items" in data else None, "items", _("a questionnaire needs at least one item"))
    item_codes: set[str] = set()
    for ii, item in enumerate(raw_items):
        ipath = f"items[{ii}]"
        if not isinstance(item, dict):
            c.add(data, "items", ipath, _("must be an object {…}"))
            continue
        c.unknown_keys(item, ITEM_KEYS, ipath)
        icode = c.code(item, "code", f"{ipath}.code")
        if icode in item_codes:
            c.add(item, "code", f"{ipath}.code", _('the code "%(code)s" is used twice') % {"code": icode})
        item_codes.add(icode)
        ikind = item.get("kind", "choice")
        if ikind not in ITEM_KINDS:
            c.add(item, "kind", f"{ipath}.kind", _("must be one of: %(values)s") % {"values": ", ".join(ITEM_KINDS)})
            ikind = "choice"
        text = c.texts(item, "text", f"{ipath}.text", languages)
        help_text = c.texts(item, "help", f"{ipath}.help", languages, required=False)
        required = c.flag(item, "required", f"{ipath}.required", True)
        reverse = c.flag(item, "reverse", f"{ipath}.reverse", False)
        scored = c.flag(item, "scored", f"{ipath}.scored", ikind == "choice")
        scale_code = ""
        if ikind == "choice":
            scale_code = item.get("scale", "")
            if not isinstance(scale_code, str) or scale_code not in scale_ranges:
                c.add(
                    item,
                    "scale" if "scale" in item else None,
                    f"{ipath}.scale",
                    _('the scale "%(code)s" is not defined in scales') % {"code": scale_code},
                )
                scale_code = ""
        else:
            for key in ("scale", "reverse", "scored"):
                if item.get(key):
                    c.add(item, key, f"{ipath}.{key}", _("a free-text item has no scale and is not scored"))
            reverse = scored = False
        items.append(
            {
                "code": icode,
                "kind": ikind,
                "text": text,
                "help": help_text,
                "scale": scale_code,
                "required": required,
                "reverse": reverse,
                "scored": scored,
            }
        )

    # scoring
    scoring_raw = c.obj(data, "scoring", "scoring", required=False) or {}
    if scoring_raw:
        c.unknown_keys(scoring_raw, SCORING_KEYS, "scoring")
    method = scoring_raw.get("method", "none")
    if method not in METHODS:
        c.add(scoring_raw, "method", "scoring.method", _("must be one of: %(values)s") % {"values": ", ".join(METHODS)})
        method = "none"
    scored_items = [i for i in items if i["scored"] and i["scale"]]
    if method != "none" and not scored_items and kind == "questionnaire" and raw_items:
        c.add(scoring_raw, "method", "scoring.method", _("there is no scored item to compute a score from"))
    if method != "none" and kind == "external":
        c.add(scoring_raw, "method", "scoring.method", _("an external instrument is not scored here"))
    transform: dict[str, Any] = {}
    transform_raw = c.obj(scoring_raw, "transform", "scoring.transform", required=False) if scoring_raw else None
    if transform_raw:  # {} (as exported for "no transform") is the same as no transform
        c.unknown_keys(transform_raw, TRANSFORM_KEYS, "scoring.transform")
        pairs: dict[str, tuple[Fraction, Fraction]] = {}
        for key in ("from", "to"):
            pair = transform_raw.get(key)
            tpath = f"scoring.transform.{key}"
            if not isinstance(pair, list) or len(pair) != 2:
                c.add(transform_raw, key if key in transform_raw else None, tpath, _("must be two numbers [low, high]"))
                continue
            a = c.number(transform_raw, key, pair[0], tpath)
            b = c.number(transform_raw, key, pair[1], tpath)
            if a is not None and b is not None:
                if a == b:
                    c.add(transform_raw, key, tpath, _("the two numbers must differ"))
                else:
                    pairs[key] = (a, b)
        if method == "none":
            c.add(scoring_raw, "transform", "scoring.transform", _("a transform needs a scoring method"))
        if len(pairs) == 2:
            transform = {
                "from": [_plain_number(pairs["from"][0]), _plain_number(pairs["from"][1])],
                "to": [_plain_number(pairs["to"][0]), _plain_number(pairs["to"][1])],
            }

    # bands
    bands: list[dict[str, Any]] = []
    raw_bands = data.get("bands", [])
    if not isinstance(raw_bands, list):
        c.add(data, "bands", "bands", _("must be a list"))
        raw_bands = []
    if raw_bands and method == "none":
        c.add(data, "bands", "bands", _("bands need a scoring method"))
    band_codes: set[str] = set()
    previous: Fraction | None = None
    for bi, band in enumerate(raw_bands):
        bpath = f"bands[{bi}]"
        if not isinstance(band, dict):
            c.add(data, "bands", bpath, _("must be an object {…}"))
            continue
        c.unknown_keys(band, BAND_KEYS, bpath)
        bcode = c.code(band, "code", f"{bpath}.code")
        if bcode in band_codes:
            c.add(band, "code", f"{bpath}.code", _('the code "%(code)s" is used twice') % {"code": bcode})
        band_codes.add(bcode)
        low = c.number(band, "min", band.get("min"), f"{bpath}.min") if "min" in band else None
        if "min" not in band:
            c.add(band, None, f"{bpath}.min", _("this field is required"))
        if low is not None and previous is not None and low <= previous:
            c.add(band, "min", f"{bpath}.min", _("bands must be in increasing order of min"))
        if low is not None:
            previous = low
        bands.append(
            {
                "code": bcode,
                "min": _plain_number(low) if low is not None else 0,
                "label": c.texts(band, "label", f"{bpath}.label", languages),
            }
        )

    definition = {
        "format": FORMAT,
        "code": code,
        "version": version,
        "kind": kind,
        "name": name,
        "owner": owner,
        "licence": licence,
        "attribution": attribution,
        "url": url,
        "validated_scale": validated,
        "demo": demo,
        "languages": languages,
        "instructions": instructions,
        "purpose": purpose,
        "group_reporting_only": group_only,
        "allow_sharing_with_worker": sharing,
        "scales": scales,
        "items": items,
        "scoring": {"method": method, "transform": transform},
        "bands": bands,
    }
    if not c.problems and method != "none":
        low_score, high_score = score_range(definition)
        if bands and Fraction(str(bands[0]["min"])) > low_score:
            c.add(
                raw_bands[0],
                "min",
                "bands[0].min",
                _("the first band must start at or below the lowest possible score %(score)s")
                % {"score": _decimal(low_score)},
            )
        del high_score
    if c.problems:
        c.problems.sort(key=lambda p: p.line)
        raise DefinitionError(c.problems)
    return definition


def parse(raw: bytes | str) -> dict[str, Any]:
    data, locator = load_json(raw)
    return check(data, locator)


def canonical_bytes(definition: dict[str, Any]) -> bytes:
    return (json.dumps(definition, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def fingerprint(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def transform_value(raw: Fraction, transform: dict[str, Any]) -> Fraction:
    if not transform:
        return raw
    a, b = (Fraction(str(v)) for v in transform["from"])
    c, d = (Fraction(str(v)) for v in transform["to"])
    return c + (raw - a) * (d - c) / (b - a)


def score_range(definition: dict[str, Any]) -> tuple[Fraction, Fraction]:
    """The lowest and highest possible score (after the transform) when every scored item is answered."""
    ranges = {
        s["code"]: (min(p["value"] for p in s["points"]), max(p["value"] for p in s["points"]))
        for s in definition["scales"]
    }
    scored = [ranges[i["scale"]] for i in definition["items"] if i["scored"] and i["scale"]]
    lows = [Fraction(lo) for lo, _hi in scored]
    highs = [Fraction(hi) for _lo, hi in scored]
    if definition["scoring"]["method"] == "mean":
        low, high = sum(lows, Fraction(0)) / len(lows), sum(highs, Fraction(0)) / len(highs)
    else:
        low, high = sum(lows, Fraction(0)), sum(highs, Fraction(0))
    t = definition["scoring"].get("transform") or {}
    a, b = transform_value(low, t), transform_value(high, t)
    return (min(a, b), max(a, b))
