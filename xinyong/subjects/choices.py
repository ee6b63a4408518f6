from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    # 法人和非法人组织: companies, social organisations, public institutions, government bodies.
    ORGANIZATION = "organization", _("法人和非法人组织")
    # 个体工商户: sole trader registered with an USCC (first two characters 92).
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    # 自然人: identified by resident ID or passport, never stored in clear.
    PERSON = "person", _("自然人")


class SubjectStatus(models.TextChoices):
    # 存续: registered and operating.
    ACTIVE = "active", _("存续")
    # 注销: deregistered by its own application.
    DEREGISTERED = "deregistered", _("注销")
    # 吊销: licence revoked by the registration authority.
    REVOKED = "revoked", _("吊销")
    # 未经登记确认: known only from another department's record (a penalty naming it), with
    # no registration behind it yet; confirmed when the registrar registers it or its
    # registration record (登记注册基本信息) arrives.
    UNCONFIRMED = "unconfirmed", _("未经登记确认")


class IdType(models.TextChoices):
    # 居民身份证 (GB 11643-1999).
    RESIDENT_ID = "resident_id", _("居民身份证")
    # 护照.
    PASSPORT = "passport", _("护照")


class RelatedRole(models.TextChoices):
    # 法定代表人.
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    # 主要负责人 (of organisations without a legal representative, or in addition).
    PRINCIPAL = "principal", _("主要负责人")
    # 实际控制人.
    ACTUAL_CONTROLLER = "actual_controller", _("实际控制人")
    # 经营者 of an individual business.
    OPERATOR = "operator", _("经营者")


class DefectKind(models.TextChoices):
    # A department supplied a code that fails GB 32100 validation.
    INVALID_USCC = "invalid_uscc", _("无效代码")
    # One code is reported with different names by different sources.
    CODE_MULTIPLE_NAMES = "code_multiple_names", _("一码多名")
    # One name is reported with different codes.
    NAME_MULTIPLE_CODES = "name_multiple_codes", _("一名多码")
