"""Query parameters of the public table pages, parsed strictly: a bad value is a 400 with a
message that names the parameter, never a silent default and never a 500."""

from django import forms
from django.core.exceptions import BadRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.choices import LEVEL_SLUGS, ExpenseClass
from budgets.parameters import WholeNumberField, parameter_problems

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 100
ALL = _("全部")
LEVEL_CHOICES = [("", ALL), *zip(LEVEL_SLUGS, (_("类"), _("款"), _("项")), strict=True)]


class TableQuery(forms.Form):
    """sort, page and per_page, common to every table page."""

    sort = forms.CharField(label=_("排序"), required=False, strip=True)
    page = WholeNumberField(label=_("页码"), required=False, min_value=1)
    per_page = WholeNumberField(
        label=_("每页行数"), required=False, min_value=1, max_value=MAX_PER_PAGE
    )

    def __init__(self, data, *, sortable, **kwargs):
        super().__init__(data, **kwargs)
        self.sortable = set(sortable)

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        if not sort:
            return []
        keys = [key.strip() for key in sort.split(",")]
        allowed = sorted(self.sortable)
        for key in keys:
            if key.removeprefix("-") not in self.sortable:
                raise forms.ValidationError(
                    gettext("不能按“%(key)s”排序，可用：%(allowed)s（前加“-”为降序）。")
                    % {"key": key, "allowed": gettext("、").join(allowed)}
                )
        return keys

    def parsed(self) -> dict:
        """The cleaned values, or BadRequest naming each wrong parameter."""
        if not self.is_valid():
            raise BadRequest(parameter_problems(self.errors))
        data = dict(self.cleaned_data)
        data["page"] = data.get("page") or 1
        data["per_page"] = data.get("per_page") or DEFAULT_PER_PAGE
        return data


class ComparisonQuery(TableQuery):
    level = forms.ChoiceField(label=_("科目层级"), required=False, choices=LEVEL_CHOICES)


class EconomicQuery(ComparisonQuery):
    LEVEL_CHOICES = LEVEL_CHOICES[:3]
    expense_class = forms.ChoiceField(
        label=_("经费性质"), required=False, choices=[("", ALL), *ExpenseClass.choices]
    )
    blank = forms.ChoiceField(
        label=_("无金额的科目"), required=False, choices=[("", _("隐藏")), ("show", _("显示"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = self.LEVEL_CHOICES


CITY_PER_PAGE = 25
CITY_MAX_PER_PAGE = 100


class CityQuery(TableQuery):
    """The home page's departments: a year, sort, page and a smaller, capped page size."""

    year = WholeNumberField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    per_page = WholeNumberField(
        label=_("每页行数"), required=False, min_value=1, max_value=CITY_MAX_PER_PAGE
    )

    def parsed(self) -> dict:
        data = super().parsed()
        if not self.cleaned_data.get("per_page"):
            data["per_page"] = CITY_PER_PAGE
        return data
