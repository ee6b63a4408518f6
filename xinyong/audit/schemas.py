from ninja import Schema
from pydantic import Field

from xinyong.audit.checkpoints import Checkpoint


class CheckpointOut(Schema):
    seq: int = Field(description="最后一个审计事件的序号")
    hash: str = Field(description="该事件的链哈希")
    count: int = Field(description="当时的事件总数（链完整时等于 seq）")
    at: str = Field(description="签名时间（ISO 8601，UTC）")
    key_id: str = Field(description="签名公钥的标识（公钥 SHA-256 的前 16 位十六进制）")
    signature: str = Field(
        description="Ed25519 签名（url-safe base64），签名内容为除 signature 外各字段的 JSON"
        "（键排序、无空格、UTF-8）"
    )
    v: int = Field(description="格式版本")

    @classmethod
    def of(cls, cp: Checkpoint) -> "CheckpointOut":
        return cls(**cp.__dict__)


class CheckpointsOut(Schema):
    public_key: str = Field(description="验签公钥：32 字节 Ed25519 公钥，url-safe base64")
    key_id: str
    checkpoints: list[CheckpointOut]
    next_since: int | None = Field(description="下一页从此序号之后读取；没有更多时为 null")


class CheckpointLatestOut(Schema):
    public_key: str
    key_id: str
    checkpoint: CheckpointOut
