from django.urls import path

from xinyong.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity_detail"),
    path("roll/", views.roll, name="roll"),
]
