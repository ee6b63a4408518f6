"""The health endpoint a load balancer or supervisor asks (``/healthz``): 200 when the
application answers and its database does, 503 otherwise. No session, no template, no
audit: it is asked every few seconds, and the load benchmark's trivial endpoint."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
