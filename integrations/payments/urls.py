from django.urls import path

from .sandbox import views

app_name = "sandbox_bank"

urlpatterns = [
    path("pay/<str:token>/", views.pay, name="pay"),
]
