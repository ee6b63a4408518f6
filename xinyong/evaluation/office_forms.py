"""Forms of the evaluation's back-office pages. Each field is named as the service names it
(the model file's refusal, with its line and rule, lands next to the text it is about);
the rules themselves are the services' and the model file's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, ValuesField
from xinyong.evaluation.choices import RunKind

MODEL_MAX_BYTES = 200_000  # a model file is a page of YAML, not a data set


class ModelLoadForm(Form):
    """载入评价模型: a file uploaded, or its text pasted (the text wins when both)."""

    error_fields = {"model": "text"}

    file = forms.FileField(label=_("模型文件（YAML，UTF-8）"), required=False,
                           allow_empty_file=True,
                           widget=forms.FileInput(attrs={"accept": ".yaml,.yml,.txt"}))  # fmt: skip
    text = forms.CharField(
        label=_("或粘贴模型文件内容"), required=False, strip=False, max_length=MODEL_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        error_messages={"max_length": _("模型文件过长")},
    )  # fmt: skip
    activate = forms.BooleanField(label=_("载入后即启用（下次评价使用该版本）"), required=False,
                                  initial=True)  # fmt: skip

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        upload = data.get("file")
        if not text.strip() and upload:
            if upload.size > MODEL_MAX_BYTES:
                self.add_error("file", _("模型文件过长"))
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("模型文件应为 UTF-8 编码的文本"))
                return data
        if not text.strip() and not self.errors:
            self.add_error("text", _("请上传模型文件或粘贴其内容"))
        data["text"] = text
        return data


class RunForm(Form):
    """发起评价: full or incremental, as of a day (today by default)."""

    kind = forms.CharField(label=_("评价类型"), required=False,
                           widget=forms.Select(choices=RunKind.choices))  # fmt: skip
    as_of = forms.DateField(
        label=_("评价基准日（默认今天）"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按 年-月-日 填写日期")},
    )  # fmt: skip


class PublicationForm(Form):
    """评价结果公开设置: which grades the public sees, whether the score too, and whether
    credit checks answer with the grade."""

    public_grades = ValuesField(label=_("向社会公开的等级"))
    public_score = forms.BooleanField(label=_("同时公开得分"), required=False)
    checks_see_grade = forms.BooleanField(label=_("信用核查返回评价等级"), required=False)

    def __init__(self, *args, grades=(), **kw):
        super().__init__(*args, **kw)
        self.fields["public_grades"].widget.choices = list(grades)
