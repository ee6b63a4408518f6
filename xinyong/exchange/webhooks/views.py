"""Back-office pages of change subscriptions: the list with the registration form (the
secret shown once, on the page itself), and a subscription's page — what it watches, its
delivery log, the platform's public key, and its steps (rotate the secret, stop, start,
test ping, replay from a point in time). Who may: ``Action.WEBHOOK_MANAGE``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.backoffice.access import act, refused, staff_actor, take_step
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.exchange.choices import Feed
from xinyong.exchange.webhooks import selectors, services, signing
from xinyong.exchange.webhooks.forms import ReplayForm, SubscriptionForm


def _feeds_named(sub) -> list[str]:
    labels = dict(Feed.choices)
    return sorted({str(labels.get(k.feed, k.feed)) for k in sub.kinds.all()})


@login_required
def webhook_list(request: HttpRequest):
    """变动订阅: the reader's subscriptions and the registration form."""
    actor = staff_actor(request)
    may = access.allowed(actor, access.Action.WEBHOOK_MANAGE)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    ctx, status = {"may_create": may}, 200
    if form.is_bound:
        if not may:
            refused(request, PermissionDenied(_("无权管理变动订阅")))
            return redirect("backoffice:webhooks")
        if form.is_valid():
            try:
                sub, secret = services.webhook_create(actor=actor, data=form.subscription_in())
            except ValidationFailed as e:
                form.fail(e)
            else:
                ctx |= {"created": sub, "secret": secret}
                form = SubscriptionForm()
        if form.errors:
            status = 400
    subs = [(s, _feeds_named(s)) for s in selectors.webhooks_list(actor=actor)]
    ctx |= {"form": form, "subscriptions": subs, "key": signing.public_key()}
    return render(request, "exchange/webhooks.html", ctx, status=status)


STEPS = ("rotate", "disable", "enable", "ping", "replay")


@login_required
def webhook_detail(request: HttpRequest, pk: int):
    """A subscription with its delivery log; its steps posted here (``step``)."""
    actor = staff_actor(request)
    try:
        sub = selectors.webhook_get(actor=actor, subscription_id=pk)
    except NotFound:
        raise Http404 from None
    replay, ctx, status = ReplayForm(), {}, 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in STEPS:
            return redirect("backoffice:webhook", pk=pk)
        if step == "rotate":
            rotated = act(
                request, lambda: services.webhook_secret_rotate(actor=actor, subscription_id=pk)
            )
            if rotated is None:
                return redirect("backoffice:webhook", pk=pk)
            ctx["secret"] = rotated[1]
        elif step == "replay":
            replay = ReplayForm(request.POST)
            if not access.allowed(actor, access.Action.WEBHOOK_MANAGE, sub):
                refused(request, PermissionDenied(_("无权管理变动订阅")))
                return redirect("backoffice:webhook", pk=pk)
            if take_step(
                request,
                replay,
                lambda d: services.webhook_replay(
                    actor=actor, subscription_id=pk, since=d["since"]
                ),
                lambda n: _("已重新排队 %(n)s 条投递") % {"n": n},
            ):
                return redirect("backoffice:webhook", pk=pk)
            status = 400
        else:
            call = {
                "disable": lambda: services.webhook_disable(actor=actor, subscription_id=pk),
                "enable": lambda: services.webhook_enable(actor=actor, subscription_id=pk),
                "ping": lambda: services.webhook_ping(actor=actor, subscription_id=pk),
            }[step]
            done = {
                "disable": _("已停用该订阅"),
                "enable": _("已启用该订阅"),
                "ping": _("测试消息已排队，稍后见投递记录"),
            }[step]
            act(request, call, done)
            return redirect("backoffice:webhook", pk=pk)
        sub = selectors.webhook_get(actor=actor, subscription_id=pk)
    log = list(selectors.deliveries(actor=actor, subscription_id=pk))
    labels = dict(Feed.choices) | {"webhook": _("测试消息")}
    for d in log:
        d.kind_label = labels.get(d.message.event_type.split(".")[0], "")
    ctx |= {
        "sub": sub,
        "feeds": _feeds_named(sub),
        "deliveries": log,
        "replay": replay,
        "key": signing.public_key(),
        "may_manage": access.allowed(actor, access.Action.WEBHOOK_MANAGE, sub),
    }
    return render(request, "exchange/webhook.html", ctx, status=status)
