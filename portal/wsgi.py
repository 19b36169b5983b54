"""The WSGI application (gunicorn, with portal/gunicorn.conf.py; runserver imports it too).

The web processes' PostgreSQL connections get the statement timeout of a page,
PORTAL_DB_STATEMENT_TIMEOUT_MS, here rather than in the settings: a management command or the
task worker (`manage.py db_worker`: the downloads build reads every line) never loads this
module, so it keeps no limit. A streamed CSV sets its own for its query (budgets/lines_csv.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()


def _limit_statements() -> None:
    from django.conf import settings

    from portal.databases import limit_statements

    limit_statements(settings.DATABASES, settings.DB_STATEMENT_TIMEOUT_MS)


_limit_statements()
