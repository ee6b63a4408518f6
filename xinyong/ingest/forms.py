"""The back office's upload form: which catalog item, on whose behalf (the operator), which
file. Its errors — and the service's, placed on the field they name — show beside the
field."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core.errors import FieldError
from xinyong.core.forms import Form
from xinyong.ingest import parsers


def too_large() -> FieldError:
    mb = settings.XINYONG_UPLOAD_MAX_BYTES // (1 << 20)
    return FieldError(
        "file",
        "file.too_large",
        gettext(
            "文件超过 %(mb)d MB 上限：请拆分后上传，或由平台运营人员用 xinyong ingest_file 命令导入"
        )
        % {"mb": mb},
    )


class UploadForm(Form):
    # Offered as a choice of the items the department provides; any code is let through to
    # the service, which says whether it exists and whether this department may submit it.
    item = forms.CharField(label=_("目录项"), max_length=64, widget=forms.Select,
                           error_messages={"required": _("请选择目录项")})  # fmt: skip
    provider = forms.CharField(label=_("报送部门编码（代部门报送时填写）"), required=False,
                               max_length=32)  # fmt: skip
    # An empty file is received: the batch is then rejected whole, and says so.
    file = forms.FileField(label=_("文件"), allow_empty_file=True,
                           error_messages={"required": _("请选择要上传的文件")})  # fmt: skip

    def __init__(self, *args, items=(), **kw):
        super().__init__(*args, **kw)
        self.fields["item"].widget.choices = [("", _("请选择"))] + [
            (d.code, f"{d.name}（v{d.version}）") for d in items
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.XINYONG_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large().message)
        try:
            self.file_format = parsers.format_of(upload.name)
        except parsers.Unreadable as e:
            raise forms.ValidationError([err.message for err in e.errors]) from None
        return upload


class WithdrawForm(Form):
    """撤销 a record from the subject's credit file: the reason is kept with the record."""

    reason = forms.CharField(label=_("撤销原因"), max_length=500, required=False)
