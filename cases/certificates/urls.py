from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("case/<int:case_id>/pdf/", views.certificate_pdf_view, name="case_pdf"),
    path("case/<int:case_id>/png/", views.certificate_png_view, name="case_png"),
]
