"""The portal's association pages for a member's bound account, included at the root."""

from django.urls import path

from xinyong.associations import portal_views as v

urlpatterns = [
    path("account/subjects/<int:pk>/associations/", v.account, name="account_associations"),
    path(
        "account/association-sanctions/<int:pk>/", v.sanction, name="account_association_sanction"
    ),
    path(
        "account/association-sanctions/<int:pk>/notice.pdf",
        v.sanction_notice,
        name="account_association_sanction_notice",
    ),
    path(
        "account/association-sanctions/<int:pk>/<str:which>.pdf",
        v.sanction_notice,
        name="account_association_sanction_document",
    ),
]
