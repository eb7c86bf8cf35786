"""The networks endpoints under /api/v1/networks/: the same services and gates as the pages."""

from ninja import Router

router = Router(tags=["networks"])
