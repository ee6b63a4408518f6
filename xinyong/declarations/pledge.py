"""The truthfulness pledge (信用承诺) a subject signs with each self-declaration, as the local
plans ask (“对信息真实性作出公开信用承诺，授权网站对相关信息进行整合、共享与应用”). The text
is versioned by a short code: a declaration keeps the code and the very text it was signed
under, so a later wording never changes what a subject once promised."""

from django.utils.translation import gettext_lazy as _

PLEDGE_VERSION = "ZZSB-2026-1"
# Kept in the platform's language whatever the page's: it is what the subject signs.
PLEDGE_TEXT = (
    "本主体郑重承诺：所申报的信息及提交的证明材料真实、准确、完整、有效，不存在虚假记载、"
    "误导性陈述或重大遗漏；同意有关部门或信用主管部门对申报信息进行核实，核实属实的，"
    "记入本主体信用档案并依法依规公开、共享和应用；如有虚假，愿意承担相应法律责任，"
    "并接受将虚假申报行为记入信用记录等处理。"
)
# The pledge as the form shows it, in the reader's language (what is stored is PLEDGE_TEXT).
PLEDGE_SHOWN = _(
    "本主体郑重承诺：所申报的信息及提交的证明材料真实、准确、完整、有效，不存在虚假记载、"
    "误导性陈述或重大遗漏；同意有关部门或信用主管部门对申报信息进行核实，核实属实的，"
    "记入本主体信用档案并依法依规公开、共享和应用；如有虚假，愿意承担相应法律责任，"
    "并接受将虚假申报行为记入信用记录等处理。"
)
