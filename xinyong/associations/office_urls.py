"""The back office's association pages, included under ``backoffice/associations/``."""

from django.urls import path

from xinyong.associations import office_views as v

urlpatterns = [
    path("", v.home, name="association_home"),
    path("authorisations/", v.authorisations, name="association_authorisations"),
    path("authorisations/<int:pk>/end/", v.authorisation_end, name="association_authorisation_end"),
    path("members/", v.members, name="association_members"),
    path("members/<int:pk>/leave/", v.member_leave, name="association_member_leave"),
    path("campaigns/", v.campaigns, name="association_campaigns"),
    path("campaigns/<int:pk>/", v.campaign, name="association_campaign"),
    path("sanctions/", v.sanctions, name="association_sanctions"),
    path("sanctions/<int:pk>/", v.sanction, name="association_sanction"),
    path("sanctions/<int:pk>/notice.pdf", v.sanction_notice, name="association_sanction_notice"),
    path(
        "sanctions/<int:pk>/<str:which>.pdf",
        v.sanction_notice,
        name="association_sanction_document",
    ),
]
