from django.urls import path

from .transfer_flow import TransferFlow

urlpatterns = [
    path("transfer/", TransferFlow.instance.urls),
]
