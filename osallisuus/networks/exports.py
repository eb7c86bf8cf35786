"""Files of networked work: GraphML and CSV for Gephi and Kumu, the resources as XLSX, a meeting
as iCalendar, and a personal network map as PDF."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook

from osallisuus.core import formatting
from osallisuus.core.exports import csv_bytes, safe_cell

from .models import Meeting, Resource


def graphml(*, nodes: dict[int, dict[str, str]], edges: list[tuple[int, int, int]], figures: dict[str, Any]) -> bytes:
    """Undirected GraphML with each node's label, role, group, degree and betweenness, and each
    edge's weight."""
    betweenness = {int(k): v for k, v in figures.get("betweenness", {}).items()}
    degree = {int(k): v for k, v in figures.get("degree", {}).items()}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '<key id="label" for="node" attr.name="label" attr.type="string"/>',
        '<key id="role" for="node" attr.name="role" attr.type="string"/>',
        '<key id="group" for="node" attr.name="group" attr.type="string"/>',
        '<key id="degree" for="node" attr.name="degree" attr.type="int"/>',
        '<key id="betweenness" for="node" attr.name="betweenness" attr.type="double"/>',
        '<key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
        '<graph id="network" edgedefault="undirected">',
    ]
    for node_id, info in nodes.items():
        out.append(
            f'<node id="n{node_id}"><data key="label">{escape(info.get("label", ""))}</data>'
            f'<data key="role">{escape(info.get("role", ""))}</data>'
            f'<data key="group">{escape(info.get("group", ""))}</data>'
            f'<data key="degree">{degree.get(node_id, 0)}</data>'
            f'<data key="betweenness">{betweenness.get(node_id, 0.0)}</data></node>'
        )
    for i, (a, b, w) in enumerate(edges):
        out.append(f'<edge id={quoteattr(f"e{i}")} source="n{a}" target="n{b}"><data key="weight">{w}</data></edge>')
    out.append("</graph></graphml>")
    return "\n".join(out).encode("utf-8")


def nodes_csv(nodes: dict[int, dict[str, str]], figures: dict[str, Any]) -> bytes:
    betweenness = {int(k): v for k, v in figures.get("betweenness", {}).items()}
    degree = {int(k): v for k, v in figures.get("degree", {}).items()}
    rows: list[list[Any]] = [["Id", "Label", _("Role"), _("Organisation"), _("Ties"), _("Betweenness")]]
    rows += [
        [n, i.get("label", ""), i.get("role", ""), i.get("group", ""), degree.get(n, 0), betweenness.get(n, 0.0)]
        for n, i in nodes.items()
    ]
    return csv_bytes(rows)


def ties_csv(edges: list[tuple[int, int, int]]) -> bytes:
    rows: list[list[Any]] = [["Source", "Target", "Type", "Weight"]]
    rows += [[a, b, "Undirected", w] for a, b, w in edges]
    return csv_bytes(rows)


def resources_xlsx(*, network_name: str, resources: list[Resource], totals: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Resources")[:31]
    sheet.append([safe_cell(network_name)])
    sheet.append([_("Date"), _("Kind"), _("Organisation"), _("Description"), _("Hours"), _("Cost (€)")])
    money_format = formatting.xlsx_number_format("money")
    for r in resources:
        sheet.append(
            [
                r.spent_on,
                str(r.get_kind_display()),
                safe_cell(r.organisation.name),
                safe_cell(r.description),
                float(r.hours) if r.hours is not None else None,
                r.cost,
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = money_format
        sheet.cell(row=sheet.max_row, column=1).number_format = "d.m.yyyy"
    years = book.create_sheet(_("Per year")[:31])
    years.append([_("Year"), _("Hours"), _("Cost (€)")])
    for year, cost, hours in totals.by_year:
        years.append([year, hours, cost])
        years.cell(row=years.max_row, column=3).number_format = money_format
    years.append([_("Total"), totals.hours, totals.total])
    years.cell(row=years.max_row, column=3).number_format = money_format
    orgs = book.create_sheet(_("Per organisation")[:31])
    orgs.append([_("Organisation"), _("Hours"), _("Cost (€)")])
    for name, cost, hours in totals.by_organisation:
        orgs.append([safe_cell(name), hours, cost])
        orgs.cell(row=orgs.max_row, column=3).number_format = money_format
    orgs.append([_("Total"), totals.hours, totals.total])
    orgs.cell(row=orgs.max_row, column=3).number_format = money_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def meeting_ics(meeting: Meeting, *, site: str = "osallisuus") -> bytes:
    """An invitation; a changed meeting keeps its UID and raises its SEQUENCE, so calendars update it."""
    cal = Calendar()
    cal.add("prodid", "-//Osallisuus//networks//FI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"network-meeting-{meeting.pk}@{site}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.network.name}: {meeting.title}")
    description = meeting.agenda
    if meeting.channel_url:
        description = f"{description}\n\n{meeting.channel_url}".strip()
        event.add("url", meeting.channel_url)
    event.add("description", description)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("sequence", meeting.sequence)
    cal.add_component(event)
    return cal.to_ical()


def map_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint (with its fonts) loads only when a PDF is made

    html = render_to_string("networks/map_pdf.html", {**context, "today": timezone.localdate()})
    return HTML(string=html, base_url=None).write_pdf()
