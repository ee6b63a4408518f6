"""The report as data: one schema renders the PDF, makes the signed JSON twin and answers
the API. Values are strings, integers and lists only (no floats), so the twin's canonical
form — what the signature covers — is the same in every language that reads it.

The report's content classes are plain pydantic models, not ninja ``Schema``: they are
built from values, never read off model instances, and ninja's attribute-resolving
validator cost about a tenth of a batch report's Python time (a report has a hundred of
them)."""

import datetime

from ninja import Field, Schema
from pydantic import BaseModel

FORMAT = "xinyong-report/1"


class LabelValue(BaseModel):
    name: str
    value: str


class EntryOut(BaseModel):
    """One record or list entry in a section."""

    title: str
    date: str = ""  # decision (or designation) date, YYYY-MM-DD
    department: str = ""  # the providing or designating department's name
    flags: list[str] = []  # 异议中, 已修复, 公示期满… as shown to the reader
    fields: list[LabelValue] = []


class SectionOut(BaseModel):
    key: str
    title: str
    note: str = ""  # what the section holds and by which rule
    empty: str = ""  # what an empty section says ("未查询到…")
    entries: list[EntryOut] = []
    total: int = 0  # how many in all: a section lists the newest SECTION_MAX (content.py)
    # A special report's domain: whether it states "none found" (the certificate it replaces).
    found: bool | None = None


class SubjectBlock(BaseModel):
    name: str
    kind: str  # label: 法人和非法人组织, 个体工商户, 自然人
    code_name: str  # 统一社会信用代码, or 身份证件号码（脱敏） for a person
    code: str
    status: str
    legal_form: str = ""
    established_on: str = ""
    address: str = ""


class ReportDoc(BaseModel):
    """The content of a report, exactly as signed (the JSON twin without its signature)."""

    format: str = FORMAT
    number: str
    kind: str
    title: str
    edition: str
    issuer: str
    issued_at: str  # ISO 8601 with offset
    valid_until: str
    subject: SubjectBlock
    requester: list[LabelValue] = []  # department, purpose, period… as printed
    notes: list[str] = []
    overview: list[LabelValue] = []
    sections: list[SectionOut] = []
    suggestions: list[str] = []
    verify_url: str
    pdf_sha256: str = ""  # filled once the PDF is rendered; the signature covers it


class DocumentSection(BaseModel):
    """One numbered part of an official document (一、认定事实…): its heading and paragraphs."""

    title: str
    paragraphs: list[str] = []


class DocumentDoc(BaseModel):
    """An official document as data for ``render.render_document`` (the one layout of the
    platform's documents: prior notice, decision, rectification order, correction notice).
    Every value is text: the template places it, nothing in it is markup."""

    title: str  # 信用名单事先告知书, 认定决定书…
    issuer: str  # the issuing body, printed as the heading and in the signature block
    number: str = ""  # 文号
    addressee: str = ""  # "华为技术有限公司：" is printed with the colon by the template
    facts: list[LabelValue] = []  # the case at a glance (subject, code, list, dates)
    intro: list[str] = []
    sections: list[DocumentSection] = []
    closing: list[str] = []
    signed_on: str  # 2026年12月3日
    platform: str  # the platform's name, in the running footer
    footnote: str = ""  # e.g. where the document can be seen online


class SignatureOut(Schema):
    alg: str = "Ed25519"
    key_id: str
    public_key: str  # base64url, raw 32 bytes
    value: str  # base64url of the signature over the canonical JSON of ``report``


class SignedReportOut(Schema):
    """The JSON twin as downloaded: the report and the platform's signature over it."""

    report: dict
    signature: SignatureOut


class ReportIn(Schema):
    """``POST /api/v1/reports``: one report for one subject."""

    kind: str = Field(..., description="public | special | review")
    subject: str = Field(..., description="统一社会信用代码 of the subject", max_length=64)
    purpose: str = Field("", max_length=200, description="required for review reports")
    domains: list[str] = Field([], max_length=100, description="special: domain codes")
    period_from: datetime.date | None = Field(None, description="special: start of the period")
    period_to: datetime.date | None = Field(None, description="special: end of the period")


class ReportIssuedOut(Schema):
    number: str
    verification_code: str
    kind: str
    kind_label: str
    subject_name: str
    issued_at: datetime.datetime
    valid_until: datetime.date
    content_sha256: str
    pdf_sha256: str
    pdf_url: str
    json_url: str
    verify_url: str


class VerificationOut(Schema):
    """What anyone holding a report's number and code learns of it."""

    genuine: bool
    status: str  # genuine | expired | altered
    status_label: str
    number: str
    kind: str
    kind_label: str
    subject_name: str  # a person's name masked
    subject_code: str  # USCC; a person's identifier masked
    issued_at: datetime.datetime
    valid_until: datetime.date
    requested_for: str  # who it was issued for (department or "信用主体本身" / "社会公众")
    content_sha256: str
    pdf_sha256: str
    key_id: str
    signature: str
    public_key: str


class SigningKeyOut(Schema):
    """A key that signs (or signed) reports, as published: verify a report's signature
    with the key its ``signature.key_id`` names, taken from here — not from the report."""

    key_id: str  # first 16 hex digits of the SHA-256 of the raw public key
    alg: str = "Ed25519"
    public_key: str  # base64url, raw 32 bytes
    first_used_at: datetime.datetime | None = None  # None: not yet used (published ahead)
    last_used_at: datetime.datetime | None = None
    current: bool = False  # signs the reports issued now


class SigningKeysOut(Schema):
    keys: list[SigningKeyOut]


class ReportBatchIn(Schema):
    """``POST /api/v1/reports/batches``: up to ``batch_max`` subjects by USCC."""

    kind: str = Field(..., description="public | review", max_length=16)
    purpose: str = Field(..., description="用途, e.g. 招标投标：某项目投标人审查", max_length=200)
    codes: list[str] = Field(
        ..., max_length=5000, description="统一社会信用代码, one per subject (duplicates collapse)"
    )


class ReportBatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    purpose: str
    status: str
    status_label: str
    total: int
    done: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    error: str
    zip_url: str | None  # when done
