"""The JSON API under /api/v1: a thin, typed twin of the pages over the same services.

Authentication: the browser session (with CSRF) or a personal token
(``Authorization: Bearer <token>``). Every module adds its router here.
"""

from ninja import NinjaAPI

from osallisuus.accounts.api import router as accounts_router
from osallisuus.accounts.api_auth import auth_methods
from osallisuus.activation.api import router as activation_router
from osallisuus.core.api import install_error_handlers
from osallisuus.core.api import router as core_router
from osallisuus.measurement.api import router as measurement_router
from osallisuus.privacy.api import router as privacy_router

api = NinjaAPI(
    title="Osallisuus API",
    version="1",
    urls_namespace="api",
    auth=auth_methods(),
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/people", accounts_router)
api.add_router("/privacy", privacy_router)
api.add_router("/measurement", measurement_router)
api.add_router("/activation", activation_router)
