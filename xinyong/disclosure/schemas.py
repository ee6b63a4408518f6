"""Schemas of the outbound dual-publicity feed (``exchange``'s publicity feed, with an item
filter and a CSV form): the cursor parameters and the page."""

from ninja import Schema
from pydantic import Field

from xinyong.exchange.schemas import FeedParams as _Cursor
from xinyong.exchange.schemas import PublicityEntry


class PublicityFeedParams(_Cursor):
    limit: int = Field(default=1000, ge=1, le=10000, description="每次最多条数（1–10000）")
    item: str | None = Field(default=None, max_length=64, description="只读某一目录项")
    format: str = Field(default="json", pattern="^(json|csv)$", description="json 或 csv")


class PublicityFeedOut(Schema):
    changes: list[PublicityEntry]
    next_after: int | None
