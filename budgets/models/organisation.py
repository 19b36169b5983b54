"""Who publishes (units), what they publish (publications) and how a publication is divided
(sections: its tables and its narrative parts)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budgets.choices import (
    STAGES_BY_KIND,
    PublicationKind,
    PublicationStatus,
    SectionKind,
    Topic,
)
from budgets.models.history import audited

digits_only = RegexValidator(r"^[0-9]+$", "编码只能由数字组成。")
year_validators = [MinValueValidator(1990), MaxValueValidator(2100)]


class UnitManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Unit(models.Model):
    """A budget unit (预算单位) or the department (部门) that holds units, as a tree."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("部门")
        UNIT = "unit", _("单位")

    code = models.CharField("编码", max_length=32, unique=True, validators=[digits_only])
    name = models.CharField("名称", max_length=200)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    is_example = models.BooleanField(
        "示例数据",
        default=False,
        help_text="由 generate_city 生成的虚构单位，只用于开发、测试和演示，不是真实公开数据。",
    )

    objects = UnitManager()

    history = audited()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("budgets:unit", kwargs={"unit_code": self.code})

    def natural_key(self):
        return (self.code,)

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "单位不能以自己为上级部门。"})
        # Wuhan numbers a unit by appending digits to its department's code (503 → 503033).
        if self.code and not self.code.startswith(self.parent.code):
            raise ValidationError(
                {"code": f"单位编码应以上级部门编码“{self.parent.code}”开头，“{self.code}”不是。"}
            )


def published_lookup(path_to_publication: str = "") -> dict:
    """The one "published" filter, as keyword arguments of `filter()`: rows whose publication
    (reached by `path_to_publication`, "" for Publication itself) is published. Every
    `published()` queryset method below and in the other model modules uses it."""
    field = f"{path_to_publication}__status" if path_to_publication else "status"
    return {field: PublicationStatus.PUBLISHED}


class PublishedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a publication; `published()` keeps the published ones.
    Subclasses name the path from the model to its publication."""

    publication_path = "publication"

    def published(self):
        return self.filter(**published_lookup(self.publication_path))


class PublicationQuerySet(PublishedQuerySet):
    publication_path = ""


class PublicationManager(models.Manager.from_queryset(PublicationQuerySet)):
    def get_by_natural_key(self, unit_code, year, kind):
        return self.get(unit__code=unit_code, year=year, kind=kind)


class Publication(models.Model):
    """One disclosure: a unit's budget (预算) or final accounts (决算) for one year.

    Public pages show published publications only. Corrections will be recorded as revisions
    of a publication (a later issue); the figures below always belong to the publication.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    kind = models.CharField("类别", max_length=16, choices=PublicationKind.choices)
    title = models.CharField("标题", max_length=300)
    published_on = models.DateField(
        "公开日期", null=True, blank=True, help_text="公开文件未载明日期时留空。"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    source_document = models.CharField(
        "来源文件", max_length=300, blank=True, help_text="原始公开文件（PDF 转文本）的名称。"
    )
    duties = models.TextField("主要职责", blank=True)
    structure = models.TextField("单位构成", blank=True)
    rounding_note = models.TextField("尾差说明", blank=True)

    objects = PublicationManager()

    history = audited()

    class Meta:
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"
        ordering = ["unit__code", "-year", "kind"]
        permissions = [("publish_publication", "可以公开文件并更正已公开的文件")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"], name="one_publication_per_unit_year_kind"
            )
        ]
        indexes = [
            # The published publications (of a year) as a narrow list: the city's and the
            # departments' sums join their facts to it and the home page counts them without
            # reading 15,000 wide rows (titles, duties, structure) at city scale.
            models.Index(
                fields=["status", "year", "id"],
                include=["unit", "kind"],
                name="publication_status_year",
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} {self.year} 年{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse(
            "budgets:publication",
            kwargs={"unit_code": self.unit.code, "year": self.year, "kind": self.kind},
        )

    def natural_key(self):
        return (self.unit.code, self.year, self.kind)

    natural_key.dependencies = ["budgets.unit"]

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def allowed_stages(self):
        return STAGES_BY_KIND[PublicationKind(self.kind)]


class SectionManager(models.Manager):
    def get_by_natural_key(self, unit_code, year, kind, slug):
        return self.get(
            publication__unit__code=unit_code,
            publication__year=year,
            publication__kind=kind,
            slug=slug,
        )


class Section(models.Model):
    """A table or a narrative part of a publication, the unit of provenance.

    `code` is the local table number as printed (表3, 公开03); `topic` says what the section
    holds, because numbering varies between localities.
    """

    publication = models.ForeignKey(
        Publication, verbose_name="公开文件", on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField("表号或章节", max_length=60)
    slug = models.SlugField("网址名", max_length=80)
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=SectionKind.choices)
    topic = models.CharField("内容", max_length=40, choices=Topic.choices)
    order = models.PositiveSmallIntegerField("顺序")
    layout = models.JSONField(
        "栏目",
        default=list,
        blank=True,
        help_text="表格的部分及各部分数值栏目，按公开表格的顺序："
        '[{"part": "", "columns": ["合计", "基本支出/人员经费"]}]；“/”分隔多层表头。',
    )
    note = models.TextField("表注或说明", blank=True)

    objects = SectionManager()

    history = audited()

    class Meta:
        verbose_name = "表格或章节"
        verbose_name_plural = "表格或章节"
        ordering = ["publication", "order"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "slug"], name="section_slug_unique"),
            models.UniqueConstraint(fields=["publication", "code"], name="section_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        publication = self.publication
        return reverse(
            "budgets:section",
            kwargs={
                "unit_code": publication.unit.code,
                "year": publication.year,
                "kind": publication.kind,
                "slug": self.slug,
            },
        )

    def natural_key(self):
        return (*self.publication.natural_key(), self.slug)

    natural_key.dependencies = ["budgets.publication"]

    @property
    def parts(self) -> list[dict]:
        return self.layout or []

    def columns_of(self, part: str) -> list[str] | None:
        """The columns of one part of the table; None when the table has no such part."""
        for entry in self.parts:
            if entry.get("part", "") == part:
                return entry.get("columns", [])
        return [] if not self.parts and not part else None

    def clean(self):
        message = (
            '栏目格式应为 [{"part": "部分名称或空", "columns": ["栏目1", "栏目2"]}]，'
            "栏目名称不能为空或重复。"
        )
        if not isinstance(self.layout, list):
            raise ValidationError({"layout": message})
        names = []
        for entry in self.layout:
            columns = entry.get("columns") if isinstance(entry, dict) else None
            if (
                not isinstance(columns, list)
                or not all(isinstance(c, str) and c for c in columns)
                or len(set(columns)) != len(columns)
                or not isinstance(entry.get("part", ""), str)
            ):
                raise ValidationError({"layout": message})
            names.append(entry.get("part", ""))
        if len(set(names)) != len(names):
            raise ValidationError({"layout": "表格各部分的名称不能重复。"})


class PublicationContact(models.Model):
    """Contact details printed in a publication: kept as metadata, not featured on pages."""

    section = models.ForeignKey(
        Section, verbose_name="表格", on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField("身份", max_length=40, help_text="如：填报人、项目负责人")
    name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    filled_on = models.DateField("填报日期", null=True, blank=True)

    history = audited()

    class Meta:
        verbose_name = "联系信息"
        verbose_name_plural = "联系信息"
        ordering = ["section", "pk"]

    def __str__(self):
        return f"{self.role} {self.name}".strip()
