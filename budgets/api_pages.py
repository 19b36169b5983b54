"""How the browsable API's pages (templates/rest_framework/) title themselves: in Chinese."""

import re

from rest_framework.views import get_view_name


def view_name(view) -> str:
    """The Chinese part of the view's docstring, before " · " or "：" ("逐条数据"), and
    "（单条）" for one item; DRF's English name for a view whose docstring has none."""
    doc = (view.__class__.__doc__ or "").strip()
    title = re.split(r" · |：|。", doc, maxsplit=1)[0].strip()
    if not re.search(r"[\u4e00-\u9fff]", title):
        return get_view_name(view)
    return f"{title}（单条）" if getattr(view, "detail", False) else title
