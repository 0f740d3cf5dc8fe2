from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("start/<int:case_id>/", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
    path("notify/", views.notify, name="notify"),
    path("receipt/<str:order_id>/", views.receipt, name="receipt"),
]
