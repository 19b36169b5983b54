"""Atom feeds of new publications and of corrections, site-wide and per unit (a unit's feed
holds its own and its subordinate units', whose codes begin with its code).

Only published data (the published() querysets). Each entry links to its page and carries
dates: a publication is dated by the first time the audit trail saw it published, else by the
publication date it prints (公开日期, at 00:00 Beijing time), else by the last change of the
portal's data (an honest "not later than" for records loaded without history); a correction
by the time it was made. The site-wide feeds leave out example units (generated demonstration
data), as the sitemap does. Each feed runs a fixed number of queries, whatever the data.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from budgets.models import Correction, DataVersion, Publication, Unit
from budgets.models.organisation import published_lookup
from budgets.page_cache import ROW

ENTRIES = 50
BEIJING = ZoneInfo("Asia/Shanghai")


class _PortalFeed(Feed):
    feed_type = Atom1Feed
    language = "zh-hans"

    def get_object(self, request, unit_code=None):
        self.fallback = None
        if unit_code is None:
            return None
        return get_object_or_404(Unit, code=unit_code)

    def _scope(self, queryset, unit, path):
        if unit is None:
            # Site-wide: the real units; an example unit's own feed still lists its data.
            return queryset.filter(**{f"{path}__is_example": False})
        return queryset.filter(**{f"{path}__code__startswith": unit.code})

    def _fallback_date(self):
        if self.fallback is None:
            version = DataVersion.objects.filter(pk=ROW).values_list("changed_at", flat=True)
            self.fallback = version.first() or datetime(2000, 1, 1, tzinfo=BEIJING)
        return self.fallback


class PublicationsFeed(_PortalFeed):
    def title(self, unit=None):
        where = unit.name if unit else "预决算公开平台"
        return f"{where} · 新公开的预算与决算"

    def subtitle(self, unit=None):
        return "新公开的单位预算、单位决算，每条链接到该文件的页面。"

    def link(self, unit=None):
        return unit.get_absolute_url() if unit else reverse("budgets:home")

    def items(self, unit=None):
        first_published = (
            Publication.history.filter(id=OuterRef("pk"), **published_lookup())
            .order_by("history_date")
            .values("history_date")[:1]
        )
        publications = self._scope(Publication.objects.published(), unit, "unit")
        return list(
            publications.select_related("unit")
            .annotate(first_published=Subquery(first_published))
            .order_by("-first_published", "-published_on", "-year", "-pk")[:ENTRIES]
        )

    def item_title(self, item):
        return item.title or str(item)

    def item_description(self, item):
        day = item.published_on
        printed = f"{day.year}年{day.month}月{day.day}日公开" if day else "公开日期未载明"
        kind = item.get_kind_display()
        return f"{item.unit.name}（编码 {item.unit.code}）{item.year} 年{kind}，{printed}。"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        if item.first_published:
            return item.first_published
        if item.published_on:
            return datetime.combine(item.published_on, time(), tzinfo=BEIJING)
        return self._fallback_date()

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_author_name(self, item):
        return item.unit.name


class CorrectionsFeed(_PortalFeed):
    def title(self, unit=None):
        where = unit.name if unit else "预决算公开平台"
        return f"{where} · 公开后的更正"

    def subtitle(self, unit=None):
        return "已公开的预算、决算被更正的记录和原因，每条链接到该文件的更正记录页。"

    def link(self, unit=None):
        return unit.get_absolute_url() if unit else reverse("budgets:home")

    def items(self, unit=None):
        corrections = Correction.objects.filter(
            publication__in=self._scope(Publication.objects.published(), unit, "unit")
        )
        return list(
            corrections.select_related("publication__unit").order_by("-corrected_at", "-pk")[
                :ENTRIES
            ]
        )

    def item_title(self, item):
        return f"{item.publication} 更正于 {item.corrected_at.astimezone(BEIJING):%Y-%m-%d}"

    def item_description(self, item):
        return f"更正原因：{item.reason}"

    def item_link(self, item):
        return f"{item.get_absolute_url()}#correction-{item.pk}"

    def item_pubdate(self, item):
        return item.corrected_at

    def item_updateddate(self, item):
        return item.corrected_at

    def item_author_name(self, item):
        return item.publication.unit.name
