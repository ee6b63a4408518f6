import re
import time

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_RO
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, JsonResponse
from django.utils import translation

from xinyong.core import replicas
from xinyong.core.context import request_context
from xinyong.core.errorpages import bad_request
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.inputs import query_faults, values_faults

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives every request an id (kept from ``X-Request-ID`` when well-formed) that the
    audit trail records and the response echoes, so a support call can find the events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else None
        channel = "api" if request.path.startswith("/api/") else "web"
        with request_context(channel=channel, request_id=rid) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language (the language switcher's
    cookie). Unlike Django's LocaleMiddleware, the browser's Accept-Language is not used:
    the platform speaks Chinese first, whatever the visitor's browser was set up with."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """Pages answer the selectors' and services' refusals the way Django answers its own:
    ``NotFound`` becomes the 404 page and ``PermissionDenied`` the 403 page, so a view only
    catches them where it answers otherwise (a form's errors, hiding that a thing exists).
    The API maps them in its own exception handlers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception)))
        if isinstance(exception, PermissionDenied):
            return response_for_exception(request, DjangoPermissionDenied(str(exception)))
        return None


class InputGuardMiddleware:
    """One gate for text no database stores, before any view reads it: a query string
    that is not UTF-8 or holds NUL or a lone surrogate, and the same in path parameters and
    form fields. The API answers 422 naming the parameter and the rule, in its shape; a
    page answers 400. (JSON bodies are the API parser's, ``api.parser``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        api = request.path.startswith("/api/")
        errors = query_faults(request.META.get("QUERY_STRING", ""))
        errors += values_faults(view_kwargs.items())
        if not errors and not api and _form_readable(request):
            errors += values_faults((k, v) for k, vs in request.POST.lists() for v in vs)
        if not errors:
            return None
        if api:
            body = {"detail": [e.as_dict() for e in errors[:20]]}
            return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
        return bad_request(request, ValueError("; ".join(f"{e.field}: {e.rule}" for e in errors)))


def _form_readable(request) -> bool:
    """A posted form the guard may read: already parsed (the CSRF check reads every
    protected form), or small. A large body of a view that reads it itself (the upload,
    which checks the declared size first) is left to that view."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method != "POST" or not content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return False
    if hasattr(request, "_post"):
        return True
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    except ValueError:
        return False


# Attributes django-csp's decorators set on a response to change its policy for one view.
_CSP_PER_VIEW = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)


def _csp_excludes() -> bool:
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


class StaticCSPMiddleware(CSPMiddleware):
    """django-csp, with the policy built once per process: django-csp rebuilds the header
    from settings on every response (about 20 µs, a tenth of a trivial API answer here),
    while this platform's policy is static — no nonce, no per-view change. A response that
    has either still goes through django-csp itself."""

    _headers: dict[str, str] | None = None

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or _csp_excludes()
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, a) for a in _CSP_PER_VIEW)
        ):
            return super().process_response(request, response)
        if StaticCSPMiddleware._headers is None:
            response = super().process_response(request, response)
            StaticCSPMiddleware._headers = {
                h: response[h] for h in (CSP_HEADER, CSP_HEADER_RO) if h in response
            }
            return response
        for header, value in StaticCSPMiddleware._headers.items():
            if header not in response:
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class ServerTimingMiddleware:
    """How long the application took for each response, as a ``Server-Timing: app;dur=…``
    header (milliseconds): what the load benchmark (bench/load_bench.py) reads to measure
    server time apart from the client's, and what an operator sees in the browser's
    developer tools. Off unless ``XINYONG_SERVER_TIMING`` is set: a timing is a small hint
    to an attacker probing for slow paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
        return response


class ReplicaReadMiddleware:
    """The portal's public pages read a replica (xinyong/core/replicas.py): a GET or HEAD
    of a page of the portal by a visitor not signed in — what the public reads, in bulk.
    A subject's page needs every write naming that subject; any other page every write
    naming any subject. Never the back office, a signed-in account (it reads back what it
    just did: an objection, a repair) or a form's POST. Nothing when no replica is
    configured."""

    SUBJECT_PAGES = ("subject",)  # pages about one subject (``pk``)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            replicas.leave(getattr(request, "_replica_scope", None))

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            not replicas.aliases()
            or request.method not in ("GET", "HEAD")
            or request.resolver_match is None
            or request.resolver_match.namespace != "portal"
            or request.user.is_authenticated
        ):
            return None
        if request.resolver_match.url_name in self.SUBJECT_PAGES and "pk" in view_kwargs:
            key = replicas.subject_key(view_kwargs["pk"])
        else:
            key = replicas.ANY_SUBJECT
        request._replica_scope = replicas.enter(key)
        return None
