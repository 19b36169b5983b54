"""Importing a draft publication's tables in the admin: download the template, upload it
filled (XLSX, or CSV in UTF-8 or GBK), see what was read and what will change, confirm.
Nothing is written until the whole file is valid and the user confirms."""

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from budgets.exports import content_disposition
from budgets.imports import bounds, changes, indicators, sheets
from budgets.imports.changes import ImportProblems
from budgets.imports.layouts import layouts_for
from budgets.imports.parsing import Level

SESSION_KEY = "budgets_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的文件",
        help_text="XLSX 工作簿（可含多张表格），或一张表格的 CSV（UTF-8 或 GBK 编码）。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Before the view reads it into memory.
        try:
            bounds.check_size(upload.name, upload.size)
        except bounds.UploadError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def _draft_or_refuse(model_admin, request, publication_id):
    publication = model_admin.get_object(request, str(publication_id))
    if publication is None or not model_admin.has_view_permission(request, publication):
        raise Http404("没有找到该公开文件。")
    if not model_admin.has_change_permission(request, publication) or publication.is_published:
        raise PermissionDenied("只能向草稿导入表格；已公开的文件请以更正的方式修改。")
    return publication


def template_view(model_admin, request, publication_id):
    """The template workbook: every table of the publication's kind, holding the figures the
    draft has already, so that a re-import changes only what was edited."""
    publication = model_admin.get_object(request, str(publication_id))
    if publication is None or not model_admin.has_view_permission(request, publication):
        raise Http404("没有找到该公开文件。")
    layouts = layouts_for(publication)
    sections = {section.slug: section for section in publication.sections.all()}
    filled = {}
    for layout in layouts:
        if layout.slug in sections:
            rows = changes.current_rows(sections[layout.slug], layout)[1:]
            parts = 1 if layout.has_parts else 0
            filled[layout.slug] = [
                (row[0], row[1], row[2] if parts else "", row[2 + parts :]) for row in rows
            ]
    extra = [
        (
            layout.sheet_name,
            layout.sheet_title,
            layout.headers(publication.year),
            indicators.sheet_rows(publication, layout),
        )
        for layout in indicators.indicator_layouts(layouts)
    ]
    data = sheets.write_workbook(layouts, filled, extra)
    name = f"{publication.unit.code}-{publication.year}-{publication.kind}-template.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition(name, f"{publication}导入模板.xlsx")
    return response


def _context(model_admin, request, publication, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "title": f"导入表格：{publication}",
        "opts": model_admin.model._meta,
        "original": publication,
        "layouts": layouts_for(publication),
        **extra,
    }


def import_view(model_admin, request, publication_id):
    publication = _draft_or_refuse(model_admin, request, publication_id)
    template = "admin/budgets/publication/import.html"
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request, publication)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(
            request, template, _context(model_admin, request, publication, form=form)
        )
    upload = form.cleaned_data["file"]
    data = upload.read()
    plan, problems = _plan(publication, upload.name, data)
    if plan is not None and not problems:
        request.session[SESSION_KEY] = {
            "publication": publication.pk,
            "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
        }
    context = _context(
        model_admin,
        request,
        publication,
        form=UploadForm(),
        file_name=upload.name,
        plan=plan,
        errors=problems,
        repaired=[i for i in plan.issues if i.level == Level.REPAIRED] if plan else [],
        warnings=[i for i in plan.issues if i.level == Level.WARNING] if plan else [],
    )
    return TemplateResponse(request, template, context)


def _plan(publication, name, data):
    """(plan, errors): the plan is None when the file could not be read at all."""
    try:
        uploaded = sheets.read_upload(name, data)
        plan = changes.plan(publication, uploaded)
    except sheets.UploadError as error:
        return None, error.messages
    except ImportProblems as error:
        return None, [f"{issue.where}：{issue.message}" for issue in error.issues]
    errors = [f"{i.where}：{i.message}" for i in plan.issues if i.level == Level.ERROR]
    return plan, errors


def _confirm(model_admin, request, publication):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("publication") != publication.pk:
        messages.error(request, "没有待确认的导入，请重新上传文件。")
        return redirect(reverse("admin:budgets_publication_import", args=[publication.pk]))
    data = base64.b64decode(pending["data"])
    plan, problems = _plan(publication, pending["name"], data)
    if problems:
        messages.error(request, "文件已无法导入（数据在此期间有变化），请重新上传。")
        return redirect(reverse("admin:budgets_publication_import", args=[publication.pk]))
    changes.apply(plan, request.user, pending["name"])
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"已导入“{pending['name']}”：{len(plan.amounts)} 个金额变化，"
        f"{len(plan.changed_sections)} 张表格更新。",
    )
    return redirect(reverse("admin:budgets_publication_change", args=[publication.pk]))
