from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config.api import api
from osallisuus.core import views as core_views

admin.site.site_header = "Osallisuus"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("osallisuus.core.urls")),
    path("account/", include("osallisuus.accounts.urls")),
    path("login/oidc/", include("osallisuus.identity.urls")),
    path("privacy/", include("osallisuus.privacy.urls")),
    path("measurement/", include("osallisuus.measurement.urls")),
    path("experts/", include("osallisuus.experts.urls")),
    path("plan/", include("osallisuus.activation.urls")),
    path("networks/", include("osallisuus.networks.urls")),
    path("funding/", include("osallisuus.funding.urls")),
    path("budgeting/", include("osallisuus.budgeting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

if settings.DEBUG:  # pragma: no cover - the demo serves uploaded files itself
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
