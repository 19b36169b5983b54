"""The words a citizen meets on the pages and may not know: the portal's own definitions,
written once here, and the definitions the publications print in their 名词解释 sections.

The portal's terms cost no query, so the `{% term %}` tag can explain them anywhere; the
published definitions are listed on /glossary/ with the publication that printed them."""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from budgets.choices import ExplanationKind
from budgets.models import Explanation
from budgets.models.organisation import published_lookup


@dataclass(frozen=True)
class Term:
    """A term of the portal. `name` (Chinese, as the pages and publications write it) is also
    the key `{% term %}` looks up; the name and definition are marked for translation
    (gettext_noop) and shown in the page's language by `label` and `explanation`."""

    slug: str  # the anchor on /glossary/
    name: str
    definition: str
    aliases: tuple[str, ...] = ()  # other Chinese forms of the term, as printed

    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def explanation(self) -> str:
        return gettext(self.definition)


PORTAL_SOURCE = gettext_lazy("本平台")

TERMS = (
    Term(
        "initial-budget",
        gettext_noop("年初预算"),
        gettext_noop("年初经本级人民代表大会批准的预算，是单位这一年计划花的钱。"),
    ),
    Term(
        "final-accounts",
        gettext_noop("决算"),
        gettext_noop("年度结束后单位编制的实际收支报告，是这一年实际花的钱。"),
    ),
    Term(
        "adjusted-budget",
        gettext_noop("调整后预算"),
        gettext_noop(
            "年度执行中按规定程序追加、调减或调剂后的全年预算数。决算中的“预算执行率”以它为分母，"
            "所以常常接近 100%；要看与年初计划的差别，请看“完成年初预算”。"
        ),
        ("调整预算",),
    ),
    Term(
        "general-public-budget",
        gettext_noop("一般公共预算"),
        gettext_noop(
            "以税收为主体的财政收入，安排用于保障和改善民生、推动经济社会发展、维护国家安全、"
            "维持国家机构正常运转等方面的收支预算（《预算法》第六条）。"
        ),
    ),
    Term(
        "fiscal-appropriation",
        gettext_noop("财政拨款"),
        gettext_noop(
            "财政部门当年拨付给单位的资金，来自一般公共预算、政府性基金预算或国有资本经营预算；"
            "单位的事业收入、经营收入等不属于财政拨款。"
        ),
    ),
    Term(
        "basic-expenditure",
        gettext_noop("基本支出"),
        gettext_noop(
            "为保障单位正常运转、完成日常工作任务而发生的支出，分为人员经费（工资、社保等）"
            "和公用经费（办公、水电、租赁等）。"
        ),
    ),
    Term(
        "project-expenditure",
        gettext_noop("项目支出"),
        gettext_noop(
            "在基本支出之外，为完成特定的工作任务或事业发展目标而安排的支出，按项目编列预算。"
        ),
    ),
    Term(
        "three-public",
        gettext_noop("“三公”经费"),
        gettext_noop("用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"),
        ("三公经费", "三公"),
    ),
    Term(
        "carry-forward",
        gettext_noop("结转和结余"),
        gettext_noop(
            "结转是当年没有执行完、按原用途留到以后年度继续使用的资金；结余是工作目标已完成"
            "或因故终止后剩下的资金。"
        ),
        ("年末结转和结余", "结转", "结余"),
    ),
    Term(
        "class-section-item",
        gettext_noop("类/款/项"),
        gettext_noop(
            "政府支出功能分类的三个层级：“类”是一大类职能（如 208 社会保障和就业支出），"
            "“款”是其下的一个方面（20801 人力资源和社会保障管理事务），“项”是最细的用途"
            "（2080150 事业运行）。编码为 3、5、7 位，前缀相同的是上下级。"
        ),
        ("类", "款", "项", "类款项"),
    ),
)

_BY_NAME = {name: term for term in TERMS for name in (term.name, *term.aliases)}


def lookup(name: str) -> Term | None:
    """The portal's term of that name or alias, None for a word it does not define."""
    return _BY_NAME.get(name)


@dataclass(frozen=True)
class PublishedTerm:
    """A definition as a publication prints it in its 名词解释."""

    name: str
    definition: str
    source: str  # the publication and the section, e.g. "…2024年决算 第五部分"
    url: str


def published_terms() -> list[PublishedTerm]:
    """Every published publication's 名词解释 entries, in publication and printed order, in
    one query."""
    explanations = (
        Explanation.objects.filter(
            kind=ExplanationKind.DEFINITION, **published_lookup("section__publication")
        )
        .select_related("section__publication__unit")
        .order_by(
            "section__publication__unit__code",
            "-section__publication__year",
            "section__publication__kind",
            "order",
        )
    )
    return [
        PublishedTerm(
            name=explanation.label,
            definition=explanation.text,
            source=f"{explanation.section.publication.title} {explanation.section.code}",
            url=explanation.section.get_absolute_url(),
        )
        for explanation in explanations
    ]
