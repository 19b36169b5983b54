"""The glossary: the portal's own terms and the publications' 名词解释, one anchor per term."""

from django.shortcuts import render

from budgets import glossary as terms
from budgets.i18n import in_english
from budgets.views.common import no_parameters


def glossary(request):
    no_parameters(request)
    return render(
        request,
        "budgets/glossary.html",
        {
            "terms": terms.TERMS,
            "portal_source": terms.PORTAL_SOURCE,
            "published": terms.published_terms(),
            # English pages give each term's Chinese forms, as the publications print them.
            "english": in_english(),
        },
    )
