"""The budgeting endpoints under /api/v1/budgeting/: the same services and gates as the pages."""

from ninja import Router

router = Router(tags=["budgeting"])
