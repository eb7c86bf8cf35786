from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def my_access_log(request: HttpRequest) -> HttpResponse:
    """'Who has seen my data' (client data act 703/2023)."""
    paginator = Paginator(selectors.access_log_about(subject=request.user), 50)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(request, "privacy/my_access_log.html", {"page": page})
