"""Server-rendered, accessible SVG pictures: the network from a kept layout, and a personal
network map of three circles in four sectors. Every picture has a ``<title>`` and ``<desc>``, each
node its own ``<title>``, a legend, and the page shows the same data as a table beside it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by shape too in the legend.
PALETTE = ("#0062b9", "#c2410c", "#047857", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#be185d", "#4d7c0f", "#334155")
LABEL_MARGIN = 160
LABELS_UP_TO = 80
"""Bigger pictures label only the members who connect most; every node keeps its ``<title>``."""


def colour_map(keys: Sequence[str]) -> dict[str, str]:
    ordered = sorted(dict.fromkeys(keys))
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(ordered)}


def network_svg(
    *,
    title: str,
    description: str,
    layout: Mapping[str, Sequence[float]],
    edges: Sequence[Sequence[int]],
    labels: Mapping[int, Mapping[str, str]],
    colour_by: str,
    highlight: Sequence[int] = (),
    size: int = 1000,
    ties_layer: str | None = None,
) -> tuple[SafeString, list[tuple[str, str]]]:
    """The picture and its legend (key, colour). ``colour_by`` is ``role`` or ``group``.
    ``ties_layer``: the lines of the ties kept with the snapshot (``ties_svg``), so a big picture
    is not drawn again on every view."""
    keys = [labels.get(int(k), {}).get("role" if colour_by == "role" else "group", "") for k in layout]
    colours = colour_map([k for k in keys if k])
    show_labels = len(layout) <= LABELS_UP_TO
    marked = set(highlight)
    out = [
        # A margin round the layout, so that the names of the members at its edges are not cut.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-{LABEL_MARGIN} -{LABEL_MARGIN // 2} '
        f'{size + 2 * LABEL_MARGIN} {size + LABEL_MARGIN}" role="img" '
        f'aria-labelledby="net-title net-desc" class="network-picture" focusable="false">',
        f'<title id="net-title">{escape(title)}</title><desc id="net-desc">{escape(description)}</desc>',
        '<g class="ties" stroke="#6b7280" stroke-opacity="0.55">',
    ]
    out.append(ties_layer if ties_layer is not None else ties_svg(layout=layout, edges=edges))
    out.append('</g><g class="nodes">')
    radius = 9 if len(layout) <= 200 else 4
    for key, (x, y) in layout.items():
        info = labels.get(int(key), {})
        name = info.get("label", key)
        group = info.get("role" if colour_by == "role" else "group", "")
        colour = colours.get(group, "#334155")
        ring = ' stroke="#111827" stroke-width="3"' if int(key) in marked else ' stroke="#ffffff" stroke-width="1.5"'
        tip = f"{name} – {group}" if group else name
        out.append(f'<g><title>{escape(tip)}</title><circle cx="{x}" cy="{y}" r="{radius}" fill="{colour}"{ring}/>')
        if show_labels or int(key) in marked:
            out.append(
                f'<text x="{x}" y="{y - radius - 4:.1f}" text-anchor="middle" font-size="22" fill="#111827" '
                f'paint-order="stroke" stroke="#ffffff" stroke-width="5">{escape(name)}</text>'
            )
        out.append("</g>")
    out.append("</g></svg>")
    return mark_safe("".join(out)), sorted(colours.items())


def ties_svg(*, layout: Mapping[str, Sequence[float]], edges: Sequence[Sequence[int]]) -> str:
    """The lines of the ties, drawn once when the snapshot is computed: only positions and weights,
    nobody's name (the nodes with their names are drawn when the page is shown)."""
    out = []
    for a, b, w in edges:
        pa, pb = layout.get(str(a)), layout.get(str(b))
        if pa is None or pb is None:
            continue
        width = min(1 + (w - 1) * 0.6, 5)
        out.append(f'<line x1="{pa[0]}" y1="{pa[1]}" x2="{pb[0]}" y2="{pb[1]}" stroke-width="{width:.1f}"/>')
    return "".join(out)


SECTOR_ORDER = ("family", "friends", "workers", "others")


def map_svg(
    *,
    title: str,
    owner_label: str,
    people: Sequence[Any],
    sector_labels: Mapping[str, str],
    circle_labels: Mapping[int, str],
    size: int = 600,
) -> SafeString:
    """Three circles (closest inside) in four sectors, the person herself in the middle. The line
    to each person shows the quality: solid supportive, dashed strained, dotted broken."""
    c = size / 2
    radii = {1: size * 0.16, 2: size * 0.29, 3: size * 0.42}
    dash = {"supportive": "", "strained": ' stroke-dasharray="10 6"', "broken": ' stroke-dasharray="2 6"'}
    colour = {"supportive": "#047857", "strained": "#a16207", "broken": "#b91c1c"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'aria-labelledby="map-title" class="map-picture" focusable="false">',
        f'<title id="map-title">{escape(title)}</title>',
    ]
    for ring in (3, 2, 1):
        out.append(
            f'<circle cx="{c}" cy="{c}" r="{radii[ring]:.1f}" fill="none" stroke="#9ca3af" stroke-width="2">'
            f"<title>{escape(circle_labels.get(ring, ''))}</title></circle>"
        )
    out.append(f'<line x1="{c}" y1="{c - radii[3]:.1f}" x2="{c}" y2="{c + radii[3]:.1f}" stroke="#9ca3af"/>')
    out.append(f'<line x1="{c - radii[3]:.1f}" y1="{c}" x2="{c + radii[3]:.1f}" y2="{c}" stroke="#9ca3af"/>')
    corners = {"family": (-1, -1), "friends": (1, -1), "workers": (1, 1), "others": (-1, 1)}
    for sector, (sx, sy) in corners.items():
        x = c + sx * size * 0.36
        y = c + sy * size * 0.47
        anchor = "start" if sx < 0 else "end"
        x = 8 if sx < 0 else size - 8
        out.append(
            f'<text x="{x}" y="{y + (14 if sy < 0 else 0):.1f}" text-anchor="{anchor}" font-size="17" '
            f'font-weight="bold" fill="#111827">{escape(sector_labels.get(sector, sector))}</text>'
        )
    out.append(f'<circle cx="{c}" cy="{c}" r="16" fill="#0062b9"><title>{escape(owner_label)}</title></circle>')
    grouped: dict[tuple[str, int], list[Any]] = {}
    for person in people:
        grouped.setdefault((person.sector, person.circle), []).append(person)
    base_angle = {"family": 180, "friends": 270, "workers": 0, "others": 90}
    for (sector, circle), members in grouped.items():
        r = radii.get(circle, radii[3]) - (size * 0.065)
        start = base_angle.get(sector, 0)
        for i, person in enumerate(members):
            angle = math.radians(start + (i + 1) * 90 / (len(members) + 1))
            x = c + r * math.cos(angle)
            y = c + r * math.sin(angle)
            q = person.quality
            out.append(
                f"<g><title>{escape(person.name)}: {escape(str(person.get_quality_display()))}"
                f"{' – ' + escape(person.support) if person.support else ''}</title>"
                f'<line x1="{c}" y1="{c}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour.get(q, "#334155")}" '
                f'stroke-width="2.5"{dash.get(q, "")}/>'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{colour.get(q, "#334155")}"/>'
                f'<text x="{x:.1f}" y="{y - 13:.1f}" text-anchor="middle" font-size="15" fill="#111827" '
                f'paint-order="stroke" stroke="#ffffff" stroke-width="4">{escape(person.name)}</text></g>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))


def legend_quality() -> list[tuple[str, str, str]]:
    return [
        ("supportive", _("Supportive (solid line)"), "#047857"),
        ("strained", _("Strained (dashed line)"), "#a16207"),
        ("broken", _("Broken (dotted line)"), "#b91c1c"),
    ]
