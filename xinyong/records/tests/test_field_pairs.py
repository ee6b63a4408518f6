"""A record's fields on a page are escaped: a department's data is text, never markup."""

from xinyong.records.schemas import FieldValueOut
from xinyong.records.templatetags.credit_file import field_pairs


def test_names_and_values_are_escaped():
    html = field_pairs(
        [FieldValueOut(code="XK_NR", name="许可内容", value='<script>alert("x")</script>&'),
         FieldValueOut(code="BZ", name="备<注>", value="普通文本")]
    )  # fmt: skip
    assert html == (
        "<dt>许可内容</dt><dd>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</dd>"
        "<dt>备&lt;注&gt;</dt><dd>普通文本</dd>"
    )
