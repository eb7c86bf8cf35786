"""The JSON API under /api/v1: a thin, typed twin of the pages over the same services.

Authentication: the browser session (with CSRF) or a personal token
(``Authorization: Bearer <token>``). Every module adds its router here.
The OpenAPI 3 schema is at /api/v1/openapi.json.
"""

from ninja import NinjaAPI

from osallisuus.accounts.api import router as accounts_router
from osallisuus.accounts.api_auth import auth_methods
from osallisuus.activation.api import router as activation_router
from osallisuus.budgeting.api import router as budgeting_router
from osallisuus.core.api import install_error_handlers
from osallisuus.core.api import router as core_router
from osallisuus.experts.api import router as experts_router
from osallisuus.funding.api import router as funding_router
from osallisuus.measurement.api import router as measurement_router
from osallisuus.networks.api import router as networks_router
from osallisuus.privacy.api import router as privacy_router

DESCRIPTION = """\
The Osallisuus JSON API: the same data, rights and access log as the pages.

**Authentication.** Either the browser session of the pages (unsafe methods need the
CSRF token in the `X-CSRFToken` header; staff must have verified their second factor)
or a personal token from *Account → API tokens*: `Authorization: Bearer osa_...`.
A token acts with its owner's rights, expires, and can be revoked.

**Errors** are JSON: `{"detail": "..."}` in the user's language (`Accept-Language` or
the language cookie); validation errors (422) add `errors` with the place and a message
for each problem. Anything you may not see answers 404, exactly like something that
does not exist. Reads of other people's data are written to the access log.

**Retries.** The POSTs that create agreements or move money (accepting an offer, confirming
or cancelling an agreement, reporting expenses, signing up) take an `Idempotency-Key` header
(1–200 visible characters): sent again with the same key and body, they answer the first
answer again and write nothing twice; the same key with another body answers 422.

**Documentation.** Interactive documentation (Swagger UI, Redoc) is switched off: it
needs inline scripts and files from a CDN, which the Content-Security-Policy and the
network rules of the service do not allow. Open this schema in any OpenAPI 3 tool.
"""

api = NinjaAPI(
    title="Osallisuus API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=auth_methods(),
    docs_url=None,
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/people", accounts_router)
api.add_router("/privacy", privacy_router)
api.add_router("/measurement", measurement_router)
api.add_router("/activation", activation_router)
api.add_router("/experts", experts_router)
api.add_router("/networks", networks_router)
api.add_router("/funding", funding_router)
api.add_router("/budgeting", budgeting_router)
