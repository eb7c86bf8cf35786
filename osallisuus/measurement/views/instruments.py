"""Instruments: imported from their owner's file and locked (administrators), and the file format."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, render

from .. import selectors, services
from ..definition import DefinitionError
from ..forms import InstrumentUploadForm
from ..permissions import can_manage_instruments
from .common import require

SCHEMA_PATH = "docs/measurement-instrument.schema.json"


@login_required
@require_GET
def instruments(request: AuthedRequest) -> HttpResponse:
    require(can_manage_instruments(request.user))
    return render(request, "measurement/instruments.html", {"instruments": list(selectors.instruments_all())})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request: AuthedRequest) -> HttpResponse:
    require(can_manage_instruments(request.user))
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.instrument_import(raw=form.cleaned_data["file"].read(), actor=request.user)
        except DefinitionError as exc:
            problems = [str(p) for p in exc.problems]
            form.add_error("file", _("The file has problems; nothing was imported. See the list below."))
        except services.MeasurementError as exc:
            refusal_to_form(form, exc)
        except IntegrityError:
            form.add_error("file", _("Nothing was imported."))
        else:
            if result.created:
                messages.success(request, _("The instrument has been imported and locked."))
            else:
                messages.info(request, _("This version was already imported with the same content; nothing changed."))
            return redirect("measurement:instrument_detail", instrument_id=result.instrument.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measurement/instrument_upload.html", {"form": form, "problems": problems}, status=status)


@login_required
@require_GET
def instrument_detail(request: AuthedRequest, instrument_id: int) -> HttpResponse:
    require(can_manage_instruments(request.user))
    instrument = selectors.instrument_get(pk=instrument_id)
    return render(
        request,
        "measurement/instrument_detail.html",
        {"instrument": instrument, "items": selectors.items_of(instrument)},
    )


@login_required
@require_GET
def instrument_export(request: AuthedRequest, instrument_id: int) -> HttpResponse:
    require(can_manage_instruments(request.user))
    instrument = selectors.instrument_get(pk=instrument_id)
    response = HttpResponse(services.instrument_export(instrument=instrument), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{instrument.code}-{instrument.version}.json"'
    return response


@require_GET
def instrument_schema(request: HttpRequest) -> HttpResponse:
    path = settings.BASE_DIR / SCHEMA_PATH
    return HttpResponse(path.read_bytes(), content_type="application/schema+json")
