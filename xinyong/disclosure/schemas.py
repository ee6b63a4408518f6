"""Schemas of the outbound dual-publicity feed: the cursor parameters and one change as upper-
level platforms read it (public fields only, by standard field code)."""

import datetime

from ninja import Schema
from pydantic import Field

from xinyong.core.inputs import Offset


class FeedParams(Schema):
    after: Offset = Field(default=0, description="上次读到的 seq（游标），首次为 0")
    limit: int = Field(default=1000, ge=1, le=10000)
    item: str | None = Field(default=None, max_length=64, description="只读某一目录项")
    format: str = Field(default="json", pattern="^(json|csv)$", description="json 或 csv")


class FeedEntryOut(Schema):
    seq: int
    action: str
    at: datetime.datetime
    item: str
    provider: str
    source_id: str
    fields: dict[str, str | int]  # public fields by standard code; empty for "unpublish"


class FeedOut(Schema):
    changes: list[FeedEntryOut]
    next_after: int | None
