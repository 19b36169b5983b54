from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from budgets.api import SchemaView, router

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The public pages: Chinese unprefixed, English under /en/ (settings.LANGUAGES).
    *i18n_patterns(path("", include("budgets.urls")), prefix_default_language=False),
]

handler400 = "budgets.views.bad_request"
handler403 = "budgets.views.permission_denied"
handler404 = "budgets.views.page_not_found"
handler500 = "budgets.views.server_error"
