"""The pages of units: where a visitor finds a unit and its years."""

from django.shortcuts import get_object_or_404, render

from budgets.models import Publication, Unit


def unit_detail(request, unit_code):
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=unit_code)
    publications = (
        Publication.objects.published()
        .filter(unit=unit)
        .select_related("unit")
        .order_by("-year", "kind")
    )
    years = sorted({p.year for p in publications}, reverse=True)
    children = unit.children.order_by("code")
    return render(
        request,
        "budgets/unit.html",
        {
            "unit": unit,
            "publications": publications,
            "years": years,
            "children": children,
            "example_data": unit.is_example,
        },
    )
