"""Back-office forms of change subscriptions (the service checks the rules; the form
carries the text and places the service's refusals next to their fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, limited_text_field
from xinyong.exchange.choices import Feed
from xinyong.exchange.webhooks.choices import Signing, WatchKind


class SubscriptionForm(Form):
    error_fields = {"subjects": "codes", "prefix": "prefix", "kinds": "kinds"}

    name = limited_text_field(_("名称"), 100, required=True)
    url = limited_text_field(_("接收地址（https）"), 500, required=True)
    kinds = forms.MultipleChoiceField(
        label=_("变动类别"),
        choices=Feed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    watch = forms.ChoiceField(
        label=_("关注范围"),
        choices=WatchKind.choices,
        initial=WatchKind.CODES,
        widget=forms.RadioSelect,
    )
    codes = forms.CharField(
        label=_("主体代码（每行一个统一社会信用代码或身份证号码）"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    prefix = limited_text_field(_("代码前缀"), 17)
    signing = forms.ChoiceField(
        label=_("签名方式"), choices=Signing.choices, initial=Signing.HMAC, widget=forms.RadioSelect
    )

    def subscription_in(self):
        from xinyong.exchange.webhooks.services import SubscriptionIn

        d = self.cleaned_data
        return SubscriptionIn(
            name=d["name"],
            url=d["url"],
            kinds=d["kinds"],
            watch=d["watch"],
            codes=[c for c in d["codes"].split() if c.strip()],
            prefix=d["prefix"],
            signing=d["signing"],
        )


class ReplayForm(Form):
    since = forms.DateTimeField(
        label=_("重放起点"),
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
