"""The site's URLs and the copied flow's, mounted as flows/urls.py mounts a flow."""

from django.urls import path

from config.urls import urlpatterns as site
from workflows.engine_urls import engine_urls

from .oath_app.transfer_flow import OathTransferFlow

urlpatterns = [*site, path("flows/oath-transfer/", engine_urls(OathTransferFlow))]
