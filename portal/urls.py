from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("budgets.urls")),
]

handler400 = "budgets.views.bad_request"
handler404 = "budgets.views.page_not_found"
handler500 = "budgets.views.server_error"
