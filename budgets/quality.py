"""The data-quality check of a publication, before it is published and after: what its figures
say about each other, rule by rule, in plain Chinese.

Each rule returns Findings and the number of comparisons it made, so that a clean result says
how much was checked. Printed totals are compared with the totals derived from the stored
facts (budgets.reconciliation); the other rules compare facts with facts, narrative with
tables, and one publication with the other publication of its year. Amounts in 万元.
"""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.urls import translate_url
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

from budgets import reconciliation
from budgets.choices import (
    LEVEL_LENGTHS,
    ExpenditureType,
    ExplanationKind,
    Measure,
    PublicationKind,
    Scheme,
    SectionKind,
    Stage,
)
from budgets.formatting import stated_in_words, wan
from budgets.i18n import data_text, in_english
from budgets.measurements import parse_measurement
from budgets.models import (
    EvaluationItem,
    Explanation,
    Publication,
    PublishedFigure,
    QualityReport,
)
from budgets.summaries import totals
from budgets.summaries.expenditure import comparison
from budgets.summaries.scope import Scope

# A printed total within this much of the sum of its lines is a rounding difference (尾差):
# the publications convert yuan to 万元 line by line and say so in their notes.
ROUNDING_TOLERANCE = Decimal("0.05")
VARIANCE_THRESHOLD = Decimal(10)  # percent of the initial budget
CARRIED_FORWARD = re.compile(r"结转(至|到)?下(一)?年")


class Severity:
    MISMATCH = "mismatch"
    ROUNDING = "rounding"
    NOTE = "note"


SEVERITY_LABELS = {
    Severity.MISMATCH: gettext_lazy("不一致"),
    Severity.ROUNDING: gettext_lazy("尾差"),
    Severity.NOTE: gettext_lazy("提示"),
}

# key → (title, what the rule checks)
RULES = {
    "subtotals": (
        gettext_lazy("分级汇总"),
        gettext_lazy("功能分类类、款、项和经济分类类、款的下级之和等于上级和表中合计"),
    ),
    "basic_project": (
        gettext_lazy("基本支出与项目支出"),
        gettext_lazy("基本支出加项目支出等于支出合计"),
    ),
    "income_expenditure": (
        gettext_lazy("收支平衡"),
        gettext_lazy("收入合计等于支出合计加年末结转和结余"),
    ),
    "classifications": (
        gettext_lazy("两种分类"),
        gettext_lazy("按功能分类和按经济分类统计的基本支出相等"),
    ),
    "fiscal_tables": (
        gettext_lazy("财政拨款表"),
        gettext_lazy("财政拨款收支表、一般公共预算支出表与总表一致"),
    ),
    "three_public": (gettext_lazy("“三公”经费"), gettext_lazy("“三公”经费合计等于各项之和")),
    "rates": (
        gettext_lazy("比率"),
        gettext_lazy("表中和说明中的完成率、执行率等于由数字算出的比率"),
    ),
    "variance_reasons": (
        gettext_lazy("差异原因"),
        gettext_lazy("决算与年初预算相差超过 10% 的项级科目公开了原因"),
    ),
    "narrative": (
        gettext_lazy("说明与表格"),
        gettext_lazy("说明中的数字与表格一致，也与同年的另一份公开文件一致"),
    ),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: str
    message: str
    printed: str = ""
    derived: str = ""
    url: str = ""
    # What the finding is about, so that the page showing that thing can show the finding
    # beside it: about_subject(), about_three_public() or about_indicator(); "" for a total.
    about: str = ""
    # The message as [Chinese template, values] pieces, so that an English page can say it in
    # English: the message itself is stored in Chinese as it always was. A template "" is
    # published text (a note printed beside the figure). Reports stored before have none.
    parts: list = field(default_factory=list)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def _parts_html(self, parts) -> SafeString:
        return SafeString("".join(_part_html(template, values) for template, values in parts))

    @property
    def text(self) -> SafeString:
        """The message as HTML in the page's language (published text in it marked Chinese)."""
        if in_english() and self.parts:
            return self._parts_html(self.parts)
        return data_text(self.message)

    def first_sentence_html(self) -> SafeString:
        """The first sentence of the message, as HTML in the page's language."""
        if in_english() and self.parts:
            return self._parts_html(self.parts[:1])
        return data_text(_first_sentence(self.message))

    @property
    def page_url(self) -> str:
        """The address of the page the finding is on, in the page's language (the stored one
        is the Chinese address)."""
        return translate_url(self.url, get_language()) if self.url else ""

    @property
    def where_html(self) -> SafeString:
        return data_text(self.where)

    @property
    def printed_html(self) -> SafeString:
        return _value_html(self.printed)

    @property
    def derived_html(self) -> SafeString:
        return _value_html(self.derived)

    @property
    def rule_title(self) -> str:
        return RULES[self.rule][0]


FIRST_SENTENCE = re.compile(r"^.*?[。！？]")
BLANK = gettext_noop("空白")


def _first_sentence(text: str) -> str:
    match = FIRST_SENTENCE.match(text.strip())
    return match.group(0) if match else text.strip()


def _part_html(template: str, values: dict) -> str:
    if not template:  # published text
        return data_text(values.get("text", ""))
    marked = {name: data_text(value) for name, value in values.items()}
    return conditional_escape(gettext(template)) % marked


def _value_html(value: str) -> SafeString:
    """A printed or derived value: "空白" is the portal's word for a blank, anything else as
    published."""
    if value == BLANK:
        return conditional_escape(gettext(BLANK))
    return data_text(value)


def _say(template: str, **values) -> tuple[str, list]:
    """A message in Chinese (as stored and shown on Chinese pages) and its piece for
    Finding.parts. The template is a msgid marked with gettext_noop where it is written."""
    return template % values, [template, {k: str(v) for k, v in values.items()}]


@dataclass
class Report:
    """The findings of a publication's check and how many comparisons each rule made."""

    findings: list[Finding]
    checks: dict[str, int]
    checked_at: str = ""

    def by_rule(self) -> list[dict]:
        return [
            {
                "key": key,
                "title": title,
                "description": description,
                "checks": self.checks.get(key, 0),
                "findings": [f for f in self.findings if f.rule == key],
            }
            for key, (title, description) in RULES.items()
        ]

    @property
    def mismatches(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.MISMATCH)

    @property
    def total_checks(self) -> int:
        return sum(self.checks.values())

    def counts(self) -> dict[str, int]:
        """Findings by severity label: {"不一致": 5, "尾差": 0, "提示": 6}."""
        return {
            str(label): sum(1 for f in self.findings if f.severity == key)
            for key, label in SEVERITY_LABELS.items()
        }

    def summary(self) -> str:
        counts = gettext("，").join(
            gettext("%(label)s %(n)s 处") % {"label": SEVERITY_LABELS[key], "n": n}
            for key, n in (
                (key, sum(1 for f in self.findings if f.severity == key)) for key in SEVERITY_LABELS
            )
        )
        return gettext("核对 %(checks)s 项：%(counts)s") % {
            "checks": self.total_checks,
            "counts": counts,
        }

    def as_json(self) -> dict:
        return {
            "checked_at": self.checked_at,
            "checks": self.checks,
            "findings": [asdict(finding) for finding in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        return cls(
            findings=[Finding(**finding) for finding in data.get("findings", [])],
            checks=data.get("checks", {}),
            checked_at=data.get("checked_at", ""),
        )


def year_scope(publication: Publication) -> Scope:
    """The publication and the other publication of its unit and year, whatever their status."""
    siblings = {
        p.kind: p
        for p in Publication.objects.filter(
            unit=publication.unit_id, year=publication.year
        ).select_related("unit")
    }
    return Scope(
        unit=publication.unit,
        year=publication.year,
        budget=siblings.get(PublicationKind.BUDGET),
        final=siblings.get(PublicationKind.FINAL),
    )


def _figure_rule(figure: PublishedFigure) -> str:
    if figure.section.kind == SectionKind.NARRATIVE:
        return "narrative"
    if figure.measure in (Measure.COMPLETION_RATE, Measure.EXECUTION_RATE):
        return "rates"
    if figure.measure == Measure.THREE_PUBLIC:
        return "three_public"
    if figure.fund_source:
        return "fiscal_tables"
    if figure.measure == Measure.INCOME:
        return "income_expenditure"
    if figure.expenditure_type and not figure.subject_code:
        return "basic_project"
    return "subtotals"


def about_subject(scheme: str, code: str) -> str:
    return f"subject:{scheme}:{code}"


def about_three_public(kind: str) -> str:
    return f"three_public:{kind}"


def about_indicator(table: str, name: str) -> str:
    """A performance indicator of one self-evaluation (its table's code) by its name (三级指标):
    the unit's and a project's self-evaluation may print the same indicator."""
    return f"indicator:{table}:{name}"


def _about(figure: PublishedFigure) -> str:
    if figure.three_public_kind:
        return about_three_public(figure.three_public_kind)
    if figure.subject_code:
        return about_subject(figure.scheme, figure.subject_code)
    return ""


def _where(figure: PublishedFigure) -> str:
    label = " ".join(filter(None, [figure.row_code, figure.row_label]))
    return f"{figure.section.code} · {label} · {figure.column}"


def _amount_text(value, unit_of_measure) -> str:
    if value is None:
        return BLANK
    if unit_of_measure == "万元":
        return wan(value)
    return f"{format(value.normalize(), 'f')}{unit_of_measure}"


def printed_totals(publication: Publication, checks: dict) -> list[Finding]:
    """Every derivable printed figure against the facts: subtotals, totals, rates, 三公."""
    findings = []
    figures = PublishedFigure.objects.filter(section__publication=publication)
    # A gap opened by a correction of the lines is no rounding, however small.
    awaiting = reconciliation.totals_awaiting_correction(publication)
    for result in reconciliation.reconcile(figures):
        if result.status == reconciliation.Status.NOT_DERIVABLE:
            continue
        figure = result.figure
        rule = _figure_rule(figure)
        checks[rule] = checks.get(rule, 0) + 1
        if result.status == reconciliation.Status.MATCH:
            continue
        printed = figure.text or _amount_text(figure.value, figure.unit_of_measure)
        derived = _amount_text(result.derived, figure.unit_of_measure)
        if result.status == reconciliation.Status.BLANK_VS_ZERO:
            severity = Severity.NOTE
            if figure.value is not None and stated_in_words(figure.printed_text):
                message, part = _say(
                    gettext_noop("写作“%(printed)s”，对应的数据为空白（未公开）。"), printed=printed
                )
            elif figure.value is not None:
                message, part = _say(
                    gettext_noop("写作 0，对应的数据为空白；空白表示未公开，与 0 含义不同。")
                )
            else:
                message, part = _say(
                    gettext_noop("此处为空白，对应的数据为 0；空白表示未公开，与 0 含义不同。")
                )
        elif (
            figure.is_money
            and figure.value is not None
            and result.derived is not None
            and abs(figure.value - result.derived) <= ROUNDING_TOLERANCE
            and figure.pk not in awaiting
        ):
            severity = Severity.ROUNDING
            gap = wan(abs(figure.value - result.derived))
            message, part = _say(
                gettext_noop("公开数与明细之和相差 %(gap)s 万元，属尾差。"), gap=gap
            )
        else:
            severity = Severity.MISMATCH
            message, part = _say(
                gettext_noop("公开为 %(printed)s，由明细数据算得 %(derived)s。"),
                printed=printed,
                derived=derived,
            )
        parts = [part]
        if figure.pk in awaiting and result.status == reconciliation.Status.MISMATCH:
            correction = awaiting[figure.pk]
            more, part = _say(
                gettext_noop("差额来自 %(date)s 对明细的更正（%(reason)s），此合计尚未随之更正。"),
                date=f"{timezone.localtime(correction.corrected_at):%Y-%m-%d}",
                reason=correction.reason,
            )
            message += more
            parts.append(part)
        if figure.note:
            message = f"{message}{figure.note}"
            parts.append(["", {"text": figure.note}])
        findings.append(
            Finding(
                rule=rule,
                severity=severity,
                where=_where(figure),
                message=message,
                printed=printed,
                derived=derived,
                url=figure.section.get_absolute_url(),
                about=_about(figure),
                parts=parts,
            )
        )
    return findings


def _stage_sums(publication: Publication) -> dict:
    """{stage: sums} of the publication's facts at each stage it may report, in one query."""
    slices = {
        "total": totals.functional(),
        "basic": totals.functional(expenditure_type=ExpenditureType.BASIC),
        "project": totals.functional(expenditure_type=ExpenditureType.PROJECT),
        "economic": totals.economic(),
        "income": totals.income(),
    }
    by_stage = totals.sums(totals.facts_of(publications=[publication]), slices, by=("stage",))
    empty = dict.fromkeys(slices)
    return {stage: by_stage.get(stage, empty) for stage in publication.allowed_stages}


def _balance(publication: Publication) -> Decimal | None:
    """The printed 年末结转和结余 (carried forward at year end), None when printed blank."""
    figure = (
        PublishedFigure.objects.filter(
            section__publication=publication,
            measure=Measure.BALANCE,
            row_label__contains="年末结转和结余",
        )
        .exclude(row_label__contains="财政拨款")
        .first()
    )
    return figure.value if figure else None


def fact_totals(publication: Publication, checks: dict) -> list[Finding]:
    """The facts among themselves: basic + project = total, the two classifications of basic
    expenditure agree, income = expenditure + what is carried forward."""
    findings = []
    balance = _balance(publication) or Decimal(0)
    for stage, sums in _stage_sums(publication).items():
        if sums["total"] is None:
            continue
        stage_label = Stage(stage).label
        parts = (sums["basic"] or 0) + (sums["project"] or 0)
        checks["basic_project"] = checks.get("basic_project", 0) + 1
        if parts != sums["total"]:
            message, part = _say(
                gettext_noop(
                    "基本支出与项目支出之和 %(parts)s 不等于支出合计 %(total)s："
                    "有支出未注明是基本支出还是项目支出。"
                ),
                parts=wan(parts),
                total=wan(sums["total"]),
            )
            findings.append(
                Finding(
                    rule="basic_project",
                    severity=Severity.MISMATCH,
                    where=f"{stage_label} · 功能分类支出",
                    message=message,
                    printed=wan(sums["total"]),
                    derived=wan(parts),
                    parts=[part],
                )
            )
        if sums["economic"] is not None and sums["basic"] is not None:
            checks["classifications"] = checks.get("classifications", 0) + 1
            if sums["economic"] != sums["basic"]:
                message, part = _say(
                    gettext_noop(
                        "按功能分类的基本支出 %(basic)s 与按经济分类的 %(economic)s 不一致。"
                    ),
                    basic=wan(sums["basic"]),
                    economic=wan(sums["economic"]),
                )
                findings.append(
                    Finding(
                        rule="classifications",
                        severity=Severity.MISMATCH,
                        where=f"{stage_label} · 基本支出",
                        message=message,
                        printed=wan(sums["basic"]),
                        derived=wan(sums["economic"]),
                        parts=[part],
                    )
                )
        if sums["income"] is not None:
            checks["income_expenditure"] = checks.get("income_expenditure", 0) + 1
            expected = sums["total"] + (balance if stage == Stage.FINAL else 0)
            if sums["income"] != expected:
                message, part = _say(
                    gettext_noop(
                        "收入合计 %(income)s 不等于支出合计 %(total)s "
                        "加年末结转和结余 %(balance)s。"
                    ),
                    income=wan(sums["income"]),
                    total=wan(sums["total"]),
                    balance=wan(balance),
                )
                findings.append(
                    Finding(
                        rule="income_expenditure",
                        severity=Severity.MISMATCH,
                        where=f"{stage_label} · 收入与支出",
                        message=message,
                        printed=wan(sums["income"]),
                        derived=wan(expected),
                        parts=[part],
                    )
                )
    return findings


def variance_reasons(scope: Scope, publication: Publication, checks: dict) -> list[Finding]:
    """Each 项 whose final differs from its initial budget by more than 10% (or that had no
    budget) has a published reason. Checked on the final accounts, which give the reasons."""
    if publication != scope.final or scope.budget is None:
        return []
    findings = []
    item_level = len(LEVEL_LENGTHS[Scheme.FUNCTIONAL]) - 1  # 项, the finest level
    for row in comparison(scope, Scheme.FUNCTIONAL):
        if row.level != item_level or row.final is None:
            continue
        rate = row.rate
        if rate is not None and abs(rate - 100) <= VARIANCE_THRESHOLD:
            continue
        checks["variance_reasons"] = checks.get("variance_reasons", 0) + 1
        if row.reason.strip():
            continue
        if wan(row.initial):
            message, part = _say(
                gettext_noop(
                    "年初预算 %(initial)s，决算 %(final)s（%(rate)s），"
                    "差异超过 10%%，但没有公开原因。"
                ),
                initial=wan(row.initial),
                final=wan(row.final),
                rate=row.rate_text,
            )
        else:
            message, part = _say(
                gettext_noop(
                    "年初预算 未安排，决算 %(final)s（%(rate)s），差异超过 10%%，但没有公开原因。"
                ),
                final=wan(row.final),
                rate=row.rate_text,
            )
        findings.append(
            Finding(
                rule="variance_reasons",
                severity=Severity.MISMATCH,
                where=f"{row.code} {row.name}",
                message=message,
                parts=[part],
                printed=wan(row.final),
                derived=wan(row.initial),
                about=about_subject(Scheme.FUNCTIONAL, row.code),
            )
        )
    return findings


def _label(text: str) -> str:
    return re.sub(r"[\s、，,。：:（）()“”\"]", "", text)


def narrative_indicators(publication: Publication, checks: dict) -> list[Finding]:
    """An indicator result stated in the text against the self-evaluation table's value."""
    findings = []
    statements = PublishedFigure.objects.filter(
        section__publication=publication, measure=Measure.INDICATOR
    ).select_related("section")
    items = list(
        EvaluationItem.objects.filter(evaluation__section__publication=publication)
        .exclude(level3="")
        .select_related("evaluation__section")
    )
    for statement in statements:
        label = _label(statement.row_label)
        matches = [item for item in items if _label(item.level3) and _label(item.level3) in label]
        if not matches:
            continue
        checks["narrative"] = checks.get("narrative", 0) + 1
        stated = parse_measurement(statement.printed_text)
        for item in matches:
            actual = parse_measurement(item.actual)
            if stated is None or actual is None or stated.value == actual.value:
                continue
            message, part = _say(
                gettext_noop("说明中为 %(stated)s，%(table)s中实际完成值为 %(actual)s。"),
                stated=statement.printed_text,
                table=item.evaluation.section.code,
                actual=item.actual,
            )
            findings.append(
                Finding(
                    rule="narrative",
                    severity=Severity.MISMATCH,
                    where=f"{statement.section.code} · {statement.row_label}",
                    message=message,
                    parts=[part],
                    printed=statement.printed_text,
                    derived=item.actual,
                    url=statement.section.get_absolute_url(),
                    about=about_indicator(item.evaluation.section.code, item.level3),
                )
            )
            break
    return findings


def carried_forward(publication: Publication, checks: dict) -> list[Finding]:
    """A text that says unspent money was carried forward, while 年末结转和结余 is blank or 0."""
    if publication.kind != PublicationKind.FINAL:
        return []
    texts = Explanation.objects.filter(
        section__publication=publication, kind=ExplanationKind.VARIANCE_REASON
    ).select_related("subject", "section")
    findings = []
    balance = _balance(publication)
    for explanation in texts:
        if not CARRIED_FORWARD.search(explanation.text):
            continue
        checks["narrative"] = checks.get("narrative", 0) + 1
        if balance:
            continue
        subject = explanation.subject.code if explanation.subject else explanation.label
        if balance is None:
            message, part = _say(
                gettext_noop(
                    "说明称未使用资金“结转下一年度”，但收入支出决算总表的年末结转和结余为空白。"
                )
            )
        else:
            message, part = _say(
                gettext_noop(
                    "说明称未使用资金“结转下一年度”，但收入支出决算总表的年末结转和结余为0。"
                )
            )
        findings.append(
            Finding(
                rule="narrative",
                severity=Severity.MISMATCH,
                where=f"{explanation.section.code} · {subject}",
                message=message,
                parts=[part],
                printed="结转下一年度",
                derived=BLANK if balance is None else "0.00",
                url=explanation.section.get_absolute_url(),
                about=about_subject(explanation.subject.scheme, explanation.subject.code)
                if explanation.subject
                else "",
            )
        )
    return findings


def store(publication: Publication) -> Report:
    """Check the publication and keep the report for its public data-quality page."""
    report = check(publication)
    QualityReport.objects.update_or_create(
        publication=publication, defaults={"report": report.as_json()}
    )
    return report


def stored(publication: Publication) -> Report | None:
    """The report kept by the last check, None if the publication was never checked."""
    saved = QualityReport.objects.filter(publication=publication).first()
    return Report.from_json(saved.report) if saved else None


def check(publication: Publication) -> Report:
    """Run every rule on the publication (whatever its status) and say what each found."""
    scope = year_scope(publication)
    checks: dict[str, int] = {}
    findings = [
        *printed_totals(publication, checks),
        *fact_totals(publication, checks),
        *variance_reasons(scope, publication, checks),
        *narrative_indicators(publication, checks),
        *carried_forward(publication, checks),
    ]
    order = list(RULES)
    findings.sort(key=lambda f: (order.index(f.rule), f.severity != Severity.MISMATCH))
    return Report(
        findings=findings,
        checks=checks,
        checked_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    )
