from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from appeals.urls import urlpatterns as appeals_urlpatterns

# The portal's own pages are listed, grouped by audience, in appeals/urls.py. They are
# spliced in rather than include()d at "": the URL census (tests/test_census.py) reads
# this top level and gives every page of the portal its own access rule.
urlpatterns = [
    *appeals_urlpatterns,
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database outage raised outside a view (e.g. saving the session) gets the 503
# "try again" page too; any other error, the 500 page (portal/outage.py).
handler500 = "portal.outage.server_error"
