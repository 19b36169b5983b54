"""Guards that run before any view, for every address: public pages, the API and the admin."""

from itertools import chain

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import FileResponse, Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from budgets.parameters import parameter_problems
from budgets.views.errors import is_api

NUL = "\x00"


def _printable(name: str) -> str:
    return name.replace(NUL, "␀")


class RefuseNulBytes:
    """PostgreSQL text cannot hold a NUL byte: one that reaches a query raises DataError (a 500)
    where SQLite just finds nothing. No real address, parameter or cookie holds one, so it is
    stopped here once, whatever view would read it: the admin's search, autocomplete and list
    filters and django-simple-history's pages included, which a guard in each ModelAdmin's
    get_search_results would not all cover (nor the session cookie, read before any view).

    In the path: 404, nothing has such a name. In a query parameter (name or value): 400
    naming it. In a cookie (a quoted cookie may spell NUL as the escape \\000, which Django
    decodes): the cookie is dropped, as if the browser had not sent it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What is refused here is answered before LocaleMiddleware has run: in the language of
        # the address (/en/… in English), as every later error page is.
        translation.activate(
            translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        )
        if NUL in request.path_info:
            raise Http404(_("地址中含有空字符（NUL），没有这样的页面。"))
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return self.refuse(request, _printable(name))
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if NUL not in name and NUL not in value
            }
        return self.get_response(request)

    @staticmethod
    def refuse(request, name: str):
        message = _("含有空字符（NUL），不是有效的值。")
        if is_api(request):
            # The API's 400 (budgets.api.errors): a sentence, then each parameter.
            errors = {name: [message]}
            return JsonResponse(
                {"detail": parameter_problems(errors), "parameters": errors}, status=400
            )
        raise BadRequest(parameter_problems({name: [message]}))


class StartStreams:
    """Produce the first chunk of a streamed response (the CSVs) inside Django.

    A streamed CSV runs its query when it is iterated, after the view has returned and
    outside Django's error handling: a query that failed there (a statement timeout, a lost
    connection) reached gunicorn before any byte was sent, and gunicorn answered with its own
    English "Internal Server Error". Taking the first chunk here turns such an error into the
    portal's 500 page. An error after the first chunk, once 200 and the headers are on the wire,
    can only cut the stream: gunicorn logs it and closes the connection without ending the
    chunked body, which clients report as an incomplete download rather than a short file.
    Files served from disk (FileResponse) are left to the server's sendfile.
    """

    _END = object()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            chunks = iter(response.streaming_content)
            first = next(chunks, self._END)
            if first is not self._END:
                response.streaming_content = chain([first], chunks)
        return response
