"""The code lists (科目) of each year and the crosswalk between years (科目调整).

They are shared by every unit, so only those who may add a subject (reviewers; see
budgets.access.may_edit_classification) change them: open a new year (a button on the subject
list), add a code, rename one, retire one, record a change of code. A subject that published
figures use keeps its name (renaming it would change published pages without a correction) and
cannot be retired (its figures point at it).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from budgets import access, classification
from budgets.admin.history_ids import HistoryAdmin
from budgets.models import Subject, SubjectChange

RENAME_REFUSED = (
    "“{subject}”已用于已公开的文件（{publications}）：科目名称显示在这些文件的公开页面上，"
    "改名会改变已公开的内容而不留更正记录，因此不能改名。如某一文件所印名称有误，请由审核人员"
    "在该文件中以更正方式修改；如新年度科目改了名称，请修改新年度的科目。"
)
RETIRE_REFUSED = (
    "不能取消“{subject}”：{uses}使用这个科目。请先修改或删除这些数据；已公开的文件不能删除其数据。"
)
CHILDREN_FIRST = "不能取消“{subject}”：它还有下级科目（{children}），请先取消下级科目。"


def _publications_text(publications) -> str:
    return "、".join(str(publication) for publication in publications)


class SubjectForm(forms.ModelForm):
    """Renaming a subject: refused while a published publication uses it."""

    def clean(self):
        cleaned = super().clean()
        subject = self.instance
        if subject.pk and "name" in self.changed_data:
            published = [p for p in classification.publications_using(subject) if p.is_published]
            if published:
                original = Subject.objects.get(pk=subject.pk)
                raise forms.ValidationError(
                    RENAME_REFUSED.format(
                        subject=original, publications=_publications_text(published)
                    )
                )
        return cleaned


class OpenYearForm(forms.Form):
    year = forms.IntegerField(
        label="开启年度",
        min_value=classification.FIRST_YEAR,
        max_value=classification.LAST_YEAR,
        help_text="四位数字的年度：复制上一年度的支出功能分类和支出经济分类科目，并按科目调整对照改编码。",
    )
    source_year = forms.IntegerField(
        label="复制自",
        required=False,
        min_value=classification.FIRST_YEAR,
        max_value=classification.LAST_YEAR,
        help_text="留空则复制开启年度之前最近一个有科目的年度。",
    )


@admin.register(Subject)
class SubjectAdmin(HistoryAdmin):
    """A year's codes. The code, scheme and year of a subject never change once entered: a
    code that changes between years is a new subject of the new year and a crosswalk line."""

    form = SubjectForm
    # name_en beside the name, so staff see which subjects still lack an English name
    # (convention: docs/i18n.md); the search finds a subject by either name.
    list_display = ["code", "name", "name_en", "scheme", "year", "level_name"]
    list_filter = ["scheme", "year"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["scheme", "year", "code"]
    change_list_template = "admin/budgets/subject/change_list.html"

    @admin.display(description="层级")
    def level_name(self, subject):
        return subject.level_name

    def has_change_permission(self, request, obj=None):
        return access.may_edit_classification(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.may_edit_classification(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "scheme", "year", "code"] if obj is not None else readonly

    def get_actions(self, request):
        # Retiring codes one by one checks each: whose figures use it, whether it has children.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra = {"may_open_year": access.may_edit_classification(request.user)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def get_urls(self):
        opening = path(
            "open-year/",
            self.admin_site.admin_view(self.open_year_view),
            name="budgets_subject_open_year",
        )
        return [opening, *super().get_urls()]

    def delete_view(self, request, object_id, extra_context=None):
        subject = self.get_object(request, unquote(object_id))
        allowed = subject is not None and self.has_delete_permission(request, subject)
        refusal = allowed and self.retire_refusal(subject)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(reverse("admin:budgets_subject_change", args=[subject.pk]))
        return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def retire_refusal(subject) -> str | None:
        """Why `subject` cannot be removed from its year's list, or None."""
        children = Subject.objects.filter(
            scheme=subject.scheme, year=subject.year, code__startswith=subject.code
        ).exclude(pk=subject.pk)
        if children.exists():
            listed = "、".join(children.values_list("code", flat=True)[:10])
            return CHILDREN_FIRST.format(subject=subject, children=listed)
        uses = []
        publications = classification.publications_using(subject)
        if publications:
            uses.append(_publications_text(publications))
        projects = classification.projects_using(subject)
        if projects:
            uses.append("项目" + "、".join(f"“{name}”" for name in projects))
        if uses:
            return RETIRE_REFUSED.format(subject=subject, uses="；".join(uses))
        return None

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.message_user(
            request,
            f"已从 {obj.year} 年科目中取消“{obj}”。如它由其他科目取代，"
            "请在“科目调整对照”中登记，以便跨年度对照。",
            messages.INFO,
        )

    def open_year_view(self, request):
        """GET shows the form; POST opens the year (the same function as manage.py open_year)."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not access.may_edit_classification(request.user):
            raise PermissionDenied("只有审核人员可以开启新年度科目。")
        form = OpenYearForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = classification.open_year(
                    form.cleaned_data["year"], form.cleaned_data["source_year"], request.user
                )
            except classification.YearNotOpened as error:
                form.add_error(None, str(error))
            else:
                level = messages.SUCCESS if result.added else messages.INFO
                self.message_user(request, result.summary(), level)
                changelist = reverse("admin:budgets_subject_changelist")
                return redirect(f"{changelist}?year__exact={result.year}")
        context = {
            **self.admin_site.each_context(request),
            "title": "开启新年度科目",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/budgets/subject/open_year.html", context)


@admin.register(SubjectChange)
class SubjectChangeAdmin(HistoryAdmin):
    """The crosswalk between years' classifications (科目调整), shared by every unit."""

    list_display = ["year", "scheme", "old_code", "new_code", "note"]
    list_filter = ["scheme", "year"]
    search_fields = ["old_code", "new_code", "note"]

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return access.may_edit_classification(user) or user.has_perm("budgets.view_subject")

    def has_add_permission(self, request):
        return access.may_edit_classification(request.user)

    def has_change_permission(self, request, obj=None):
        return access.may_edit_classification(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.may_edit_classification(request.user)
