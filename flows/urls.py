from django.urls import path

from workflows.engine_urls import login_first

from .transfer_flow import TransferFlow

urlpatterns = [
    path("transfer/", login_first(TransferFlow.instance.urls)),
]
