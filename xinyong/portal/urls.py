from django.urls import path

from xinyong.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
]
