from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.http import content_disposition_header
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from budgets.api import router


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema with a valid Content-Disposition (RFC 6266): drf-spectacular names the
    file after the schema's Chinese title, which Django then sends MIME-encoded, a header no
    browser reads. An ASCII name. (Like the view it overrides, not part of the schema.)"""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        response["Content-Disposition"] = content_disposition_header(
            False, f"open-budget-portal-api.{suffix}"
        )
        return response


urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("", include("budgets.urls")),
]

handler400 = "budgets.views.bad_request"
handler403 = "budgets.views.permission_denied"
handler404 = "budgets.views.page_not_found"
handler500 = "budgets.views.server_error"
