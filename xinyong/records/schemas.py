"""Output schemas of the credit file. They decide what a reader sees of a record: the
selector passes the field codes the reader may see, the schema renders only those.

Plain pydantic models, not ninja ``Schema``: they are built from values, never read off
model instances, and ninja's attribute-resolving validator was the largest part of the
subject page's time (a page shows up to 20 records of a dozen fields each)."""

import datetime

from django.utils import timezone
from pydantic import BaseModel

from xinyong.catalog.choices import Category, Polarity
from xinyong.catalog.definitions import ItemDefinition
from xinyong.core.labels import batch_row_label
from xinyong.core.params import offset_param
from xinyong.records.choices import Channel, RecordStatus


class FieldValueOut(BaseModel):
    code: str
    name: str
    value: str


class ProvenanceOut(BaseModel):
    provider: str
    batch_id: int | None  # None: withdrawn on an objection (channel "remedy"), no batch
    batch_row: int | None
    channel: str
    channel_label: str
    batch_label: str  # 第 5 批 第 1 行 (words, not "#5"), "" without a batch
    received_at: datetime.datetime
    content_hash: str


class RecordOut(BaseModel):
    id: int
    item: str
    item_name: str
    category: str
    category_label: str
    polarity: str
    polarity_label: str
    source_id: str
    version: int
    status: str
    status_label: str
    decision_date: datetime.date | None
    valid_to: datetime.date | None
    fields: list[FieldValueOut]
    # What every reader sees of where a record comes from: the providing department's
    # name and the day it provided the record. Batch, row, channel: staff only (below).
    provider: str = ""
    provided_on: datetime.date | None = None
    provenance: ProvenanceOut | None = None  # back office only
    withdraw_reason: str = ""  # back office only
    withdrawable: bool = False  # the reader may withdraw it (its provider, or the operator)
    under_objection: bool = False  # marked by the platform while an objection is open

    @classmethod
    def of(
        cls, r, item: ItemDefinition, values: dict, *, provider: str, provenance: bool
    ) -> "RecordOut":
        """``values``: the field values this reader may see, by code (the selectors decide)."""
        fields = [
            # Built without validation: three strings per field, a dozen fields a record.
            FieldValueOut.model_construct(code=f.code, name=f.name, value=_text(values[f.code]))
            for f in item.all_fields
            if values.get(f.code) not in (None, "", [])
        ]
        return cls(
            id=r.pk,
            item=r.item_code,
            item_name=item.name,
            category=r.category,
            category_label=str(Category(r.category).label),
            polarity=r.polarity,
            polarity_label=str(Polarity(r.polarity).label),
            source_id=r.source_id,
            version=r.version,
            status=r.status,
            status_label=str(RecordStatus(r.status).label),
            decision_date=r.decision_date,
            valid_to=r.valid_to,
            fields=fields,
            provider=provider,
            provided_on=timezone.localdate(r.received_at) if r.received_at else None,
            provenance=ProvenanceOut(
                provider=provider,
                batch_id=r.batch_id,
                batch_row=r.batch_row,
                channel=r.channel,
                channel_label=str(Channel(r.channel).label),
                batch_label=batch_row_label(r.batch_id, r.batch_row) if r.batch_id else "",
                received_at=r.received_at,
                content_hash=r.content_hash,
            )
            if provenance
            else None,
        )


def _text(value) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class CreditFilePage(BaseModel):
    records: list[RecordOut]
    category: str | None
    categories: list[tuple[str, str, int]]  # code, label, count
    offset: int
    next_offset: int | None


def file_query(params) -> tuple[str | None, int]:
    """Category filter and page of a credit file from a query string; values that are not
    a category or a page are ignored (these come from links, not submissions)."""
    category = params.get("category") or None
    if category not in Category.values:
        category = None
    return category, offset_param(params)
