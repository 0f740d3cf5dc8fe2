from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<str:token>/", views.serve, name="serve"),
    path("<str:token>/thumbnail/", views.thumbnail, name="thumbnail"),
]
