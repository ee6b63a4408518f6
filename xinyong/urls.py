from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from xinyong.api.main import api
from xinyong.core.health import healthz

admin.site.site_header = _("xinyong 公共信用信息平台 · 基础数据管理")
admin.site.site_title = _("xinyong 管理")
admin.site.index_title = _("基础数据")
handler400 = "xinyong.core.errorpages.bad_request"
handler403 = "xinyong.core.errorpages.permission_denied"
handler404 = "xinyong.api.errors.not_found"  # JSON under /api/, the page elsewhere
handler500 = "xinyong.core.errorpages.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/", include("xinyong.backoffice.urls")),
    path("", include("xinyong.portal.urls")),
]
