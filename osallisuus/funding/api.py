"""The funding endpoints under /api/v1/funding/: the same services and gates as the pages."""

from ninja import Router

router = Router(tags=["funding"])
