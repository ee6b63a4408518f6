from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclarationKind(models.TextChoices):
    """What a subject declares of itself (the kinds the local plans name: 资质证照、生产经营、
    合同履约、表彰奖励、公益慈善), each verified by the department that knows it."""

    # 资质资格: certificates, licences, qualifications held (a copy of the certificate).
    QUALIFICATION = "qualification", _("资质资格")
    # 经营状况: operations — output, tax paid, employment, audited statements.
    OPERATIONS = "operations", _("经营状况")
    # 合同履约: contracts performed on time (the counterparty's confirmation).
    CONTRACT = "contract", _("合同履约")
    # 荣誉表彰: honours and awards received (the award document).
    HONOR = "honor", _("荣誉表彰")
    # 公益慈善: donations, volunteering, charity (the receipt of the charity).
    CHARITY = "charity", _("公益慈善")
    # 社会责任: social responsibility reports, environmental and labour commitments kept.
    SOCIAL_RESPONSIBILITY = "social_responsibility", _("社会责任")


class DeclarationStatus(models.TextChoices):
    # 待核实: submitted with the pledge and evidence; the routed department (or the credit
    # office) verifies it within XINYONG_DECLARATION_WORKDAYS working days.
    SUBMITTED = "submitted", _("待核实")
    # 已核实: found true; it enters the credit file as a self-declared, verified record.
    VERIFIED = "verified", _("经核实属实")
    # 未通过核实: refused, with the reasons; nothing enters the credit file.
    REFUSED = "refused", _("未通过核实")
