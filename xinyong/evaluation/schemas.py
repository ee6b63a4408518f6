"""API schemas of the public credit evaluation: a subject's full explained result (staff
only: its score, every indicator's points and reason, the records behind them, what would
improve it), the model versions with their files, and the runs with their progress. What
an output schema leaves out is not shown."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from xinyong.evaluation.choices import RunKind

HUAWEI = "914403001922038216"  # the examples' subject


class GradeDefOut(Schema):
    grade: str = Field(examples=["A"])
    min: int = Field(description="分数线（含）", examples=[850])
    name: str = Field(examples=["信用优秀"])


class IndicatorOut(Schema):
    code: str = Field(examples=["penalties"])
    name: str = Field(examples=["行政处罚"])
    points: int = Field(description="计入得分的分值（已按模型的 min、max 限定）", examples=[-160])
    raw_points: int = Field(description="按规则算得的分值（限定前）")
    min: int
    max: int
    reason: str = Field(description="本主体得此分的理由", examples=["近一年内严重处罚 1 起"])
    records: list[int] = Field(description="所依据的信用记录编号")
    entries: list[int] = Field(description="所依据的名单条目编号")
    cap: str | None = Field(description="该指标限定的最高等级（一票否决）；无则为空")
    explanation: str = Field(description="指标的公开说明")
    improve: str = Field(description="如何改善")


class DimensionOut(Schema):
    code: str = Field(examples=["supervision"])
    name: str = Field(examples=["监管信息"])
    points: int
    indicators: list[IndicatorOut]


class HintOut(Schema):
    code: str = Field(description="指标编码")
    name: str
    gain: int = Field(description="该指标还能增加的分值")
    score: int = Field(description="改善后的得分")
    grade: str = Field(description="改善后的等级")
    changes_grade: bool = Field(description="仅改善此项即可改变等级")
    how: str = Field(description="如何改善")
    now: str = Field(description="现状")


class EvaluationOut(Schema):
    grade: str = Field(examples=["C"])
    grade_label: str = Field(examples=["C级（信用一般）"])
    score: int = Field(examples=[540])
    scale: int = Field(description="满分", examples=[1000])
    base: int = Field(description="基础分", examples=[700])
    as_of: datetime.date = Field(description="评价基准日")
    evaluated_at: datetime.datetime
    model: str = Field(description="评价模型及版本")
    run_id: int = Field(description="产生该结果的评价批次")
    grades: list[GradeDefOut] = Field(description="模型的等级与分数线")
    dimensions: list[DimensionOut]
    hints: list[HintOut] = Field(description="如何提升：可改变等级的指标在前")


class ModelVersionOut(Schema):
    id: int
    code: str = Field(examples=["public_credit"])
    version: int = Field(examples=[1])
    name: str = Field(examples=["公共信用综合评价模型"])
    digest: str = Field(description="模型文件的 SHA-256")
    active: bool = Field(description="当前使用的版本")
    loaded_at: datetime.datetime
    loaded_by: str
    scale: int
    grades: list[GradeDefOut]
    source: str = Field(description="模型文件全文（YAML）")

    @staticmethod
    def resolve_scale(obj) -> int:
        return obj.definition["scale"]

    @staticmethod
    def resolve_grades(obj) -> list[dict]:
        return obj.definition["grades"]


class RunOut(Schema):
    id: int
    model: str = Field(description="评价模型及版本", examples=["公共信用综合评价模型 v1"])
    kind: str = Field(description="full 全量评价 / incremental 增量评价")
    kind_label: str
    status: str = Field(description="queued 排队中 / running 评价中 / done 已完成 / failed 失败")
    status_label: str
    as_of: datetime.date = Field(description="评价基准日")
    data_time: datetime.datetime | None = Field(description="所用数据的截止时间")
    requested_at: datetime.datetime
    requested_by: str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    subjects_total: int = Field(description="待评价主体数")
    subjects_done: int = Field(description="已评价主体数")
    progress: int = Field(description="进度（百分比，0–100）")
    grades_changed: int = Field(description="等级变化的主体数")
    error: str = Field(description="失败原因")

    @staticmethod
    def resolve_model(obj) -> str:
        return str(obj.model_version)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_progress(obj) -> int:
        from xinyong.evaluation.selectors import run_progress

        return run_progress(obj)


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: RunKind = Field(RunKind.INCREMENTAL, description="full 全量评价 / incremental 增量评价")
    as_of: datetime.date | None = Field(None, description="评价基准日（默认今天）")


class RunParams(Schema):
    limit: int = Field(20, ge=1, le=200, description="返回最近的多少个批次")
