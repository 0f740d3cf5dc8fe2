from django.urls import path

from workflows.engine_urls import engine_urls

from .inquiry_flow import InquiryFlow
from .transfer_flow import TransferFlow

urlpatterns = [
    path("transfer/", engine_urls(TransferFlow)),
    path("inquiry/", engine_urls(InquiryFlow)),
]
