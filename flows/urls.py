from django.urls import path

from workflows.engine_urls import login_first

from .inquiry_flow import InquiryFlow
from .transfer_flow import TransferFlow

urlpatterns = [
    path("transfer/", login_first(TransferFlow.instance.urls)),
    path("inquiry/", login_first(InquiryFlow.instance.urls)),
]
