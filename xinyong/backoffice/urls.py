from django.contrib.auth import views as auth_views
from django.urls import path

from xinyong.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="backoffice/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("code-defects/", views.code_defects, name="code_defects"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("audit/", views.audit_events, name="audit"),
]
