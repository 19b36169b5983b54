"""History pages that answer 404, not 500, for an id that is not an id.

django-simple-history looks a record and a version up with the ids from the address as they
are: "abc" or "²" raised ValueError (a 500) on every database, where Django's own change and
delete pages answer an unknown id with 404."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

# simple_history's version ids (history_id) are integers.
_VERSION_ID = models.BigIntegerField()


def _read_or_404(field, raw: str):
    try:
        field.to_python(unquote(raw))
    except ValidationError:
        raise Http404("没有这条记录。") from None


class HistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        _read_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _read_or_404(self.model._meta.pk, object_id)
        _read_or_404(_VERSION_ID, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
