"""The site's URLs with the flows mounted as FLOW_VERSIONS lists them now (version 2
deployed): config/urls.py mounted them once, when it was first imported."""

from django.urls import include, path

import flows.urls
from config.urls import urlpatterns as site

urlpatterns = [*(p for p in site if getattr(p, "urlconf_module", None) is not flows.urls),
               path("flows/", include(flows.urls.flow_patterns()))]
