"""The funding endpoints under /api/v1/funding/: the same services and gates as the pages."""

from ninja import Router

router = Router(tags=["funding"])

# The money half (payments and their approval) has its own router.
from .api_money import router as money_router  # noqa: E402

router.add_router("", money_router)
