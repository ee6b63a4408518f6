"""/api/v1/reports: issue reports (departments' systems), download them, verify them."""

from ninja import Router

router = Router(tags=["reports"])
