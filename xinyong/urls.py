from django.contrib import admin
from django.urls import include, path

from xinyong.api.main import api

admin.site.site_header = "xinyong 公共信用信息平台 · 基础数据管理"
admin.site.site_title = "xinyong 管理"
handler404 = "xinyong.api.errors.not_found"  # JSON under /api/, the page elsewhere

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/", include("xinyong.backoffice.urls")),
    path("", include("xinyong.portal.urls")),
]
