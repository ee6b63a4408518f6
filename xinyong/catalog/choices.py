from django.db import models
from django.utils.translation import gettext_lazy as _


class Polarity(models.TextChoices):
    # 基础信息: identifies the subject or states a neutral fact (registration, licence).
    BASIC = "basic", _("基础信息")
    # 良好信息: speaks for the subject (rewards, honours).
    POSITIVE = "positive", _("良好信息")
    # 失信（不良）信息: speaks against the subject (penalties, judgments, lists).
    NEGATIVE = "negative", _("失信信息")
    # 其他信息: neither (evaluations, commitments, voluntary information).
    OTHER = "other", _("其他信息")


class Disclosure(models.TextChoices):
    # 公开: anyone may see it on the portal.
    PUBLIC = "public", _("公开")
    # 有条件共享: departments see it when the provider shares with them.
    SHARED = "shared", _("有条件共享")
    # 不予公开: only the provider and the platform operator see it.
    RESTRICTED = "restricted", _("不予公开")


class Category(models.TextChoices):
    """The categories of the national basic catalog of public credit information."""

    # 登记注册基本信息.
    REGISTRATION = "registration", _("登记注册基本信息")
    # 司法裁判及执行信息.
    JUDICIAL = "judicial", _("司法裁判及执行信息")
    # 行政管理信息: licences, penalties, enforcement, confirmation, rewards, inspections.
    ADMINISTRATIVE = "administrative", _("行政管理信息")
    # 职称和职业资格信息.
    QUALIFICATION = "qualification", _("职称和职业资格信息")
    # 经营异常名录信息.
    ABNORMAL_OPERATIONS = "abnormal_operations", _("经营异常名录信息")
    # 严重失信主体名单信息.
    SERIOUS_DISHONESTY = "serious_dishonesty", _("严重失信主体名单信息")
    # 合同履行信息.
    CONTRACT = "contract", _("合同履行信息")
    # 信用承诺及履行情况信息.
    COMMITMENT = "commitment", _("信用承诺及履行情况信息")
    # 信用评价结果信息.
    EVALUATION = "evaluation", _("信用评价结果信息")
    # 遵守法律法规情况信息 (tax, social insurance, housing fund, utilities…).
    COMPLIANCE = "compliance", _("遵守法律法规情况信息")
    # 诚实守信相关荣誉信息.
    HONOR = "honor", _("诚实守信相关荣誉信息")
    # 知识产权信息.
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权信息")
    # 市场主体自愿提供的信用信息.
    VOLUNTARY = "voluntary", _("自愿提供信息")


class FieldType(models.TextChoices):
    # Free text up to max_length characters (default 200).
    STRING = "string", _("文本")
    # Long text up to max_length characters (default 4000).
    TEXT = "text", _("长文本")
    # One of the listed values.
    ENUM = "enum", _("枚举")
    # A calendar date; YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年M月D日.
    DATE = "date", _("日期")
    # An amount in 万元, at most 6 decimals (one fen), not negative.
    MONEY = "money", _("金额（万元）")
    # A whole number, not negative.
    INTEGER = "integer", _("整数")
    # A 统一社会信用代码, checked by GB 32100.
    USCC = "uscc", _("统一社会信用代码")
    # A person's identifier number: validated with its type field, never stored in clear.
    ID_NUMBER = "id_number", _("证件号码")


class PublicityMode(models.TextChoices):
    # Never shown on the portal.
    NONE = "none", _("不公示")
    # Shown while the record is in force.
    ALWAYS = "always", _("持续公示")
    # Shown until the record's validity end (licences).
    WHILE_VALID = "while_valid", _("有效期内公示")
    # Shown for a period decided by the publicity rules (penalties; dual-publicity issue).
    PERIOD_RULES = "period_rules", _("按公示期限规则公示")


class VersionSource(models.TextChoices):
    # Loaded from the YAML files shipped in the repository.
    REPOSITORY = "repository", _("目录文件")
    # Revised by the platform operator in the back office.
    OPERATOR = "operator", _("运营人员修订")
