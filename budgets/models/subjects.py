"""Classification subjects (科目): functional 类/款/项 and economic 类/款, named per year."""

from django.core.exceptions import ValidationError
from django.db import models

from budgets.choices import LEVEL_LENGTHS, LEVEL_NAMES, LEVEL_SLUGS, Scheme
from budgets.models.history import audited
from budgets.models.organisation import digits_only, year_validators


def subject_level(scheme: str, code: str) -> int | None:
    """0 for 类, 1 for 款, 2 for 项; None when the code's length fits no level of the scheme."""
    lengths = LEVEL_LENGTHS[Scheme(scheme)]
    return lengths.index(len(code)) if len(code) in lengths else None


def parent_code(scheme: str, code: str) -> str | None:
    level = subject_level(scheme, code)
    if not level:
        return None
    return code[: LEVEL_LENGTHS[Scheme(scheme)][level - 1]]


def ancestor_codes(scheme: str, code: str) -> list[str]:
    """Codes of the subject's 类 and 款 (those above it), 类 first."""
    level = subject_level(scheme, code) or 0
    return [code[:length] for length in LEVEL_LENGTHS[Scheme(scheme)][:level]]


class SubjectManager(models.Manager):
    def get_by_natural_key(self, scheme, year, code):
        return self.get(scheme=scheme, year=year, code=code)


class Subject(models.Model):
    """One code of a classification in one year. Names change between years, so the natural
    key is (scheme, year, code); the parent is the code's prefix, never stored twice."""

    scheme = models.CharField("分类", max_length=16, choices=Scheme.choices)
    year = models.PositiveSmallIntegerField("年度", validators=year_validators)
    code = models.CharField("科目编码", max_length=7, validators=[digits_only])
    name = models.CharField("科目名称", max_length=200)
    name_en = models.CharField(
        "英文名称",
        max_length=200,
        blank=True,
        help_text="英文页面显示的科目名称，可留空（留空时英文页面显示中文名称）。"
        "译名约定见 docs/i18n.md：类 class、款 section、项 item。",
    )
    definition = models.TextField(
        "科目说明", blank=True, help_text="政府收支分类科目中对该科目的解释，可留空。"
    )

    objects = SubjectManager()

    history = audited()

    class Meta:
        verbose_name = "科目"
        verbose_name_plural = "科目"
        ordering = ["scheme", "year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "code"], name="one_subject_per_scheme_year_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.scheme, self.year, self.code)

    @property
    def level(self) -> int | None:
        return subject_level(self.scheme, self.code)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] if self.level is not None else ""

    @property
    def level_slug(self) -> str:
        return LEVEL_SLUGS[self.level] if self.level is not None else ""

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.scheme, self.code)

    @property
    def is_leaf_level(self) -> bool:
        """Whether facts are recorded at this level (项 for functional, 款 for economic)."""
        return self.level == len(LEVEL_LENGTHS[Scheme(self.scheme)]) - 1

    def clean(self):
        if not self.code or not self.scheme or not self.code.isdigit():
            return  # field validation reports these
        if self.level is None:
            lengths = LEVEL_LENGTHS[Scheme(self.scheme)]
            expected = "、".join(
                f"{length} 位（{LEVEL_NAMES[i]}）" for i, length in enumerate(lengths)
            )
            raise ValidationError(
                {
                    "code": f"{self.get_scheme_display()}科目编码应为 {expected}数字，"
                    f"“{self.code}”是 {len(self.code)} 位。"
                }
            )
        parent = self.parent_code
        if (
            parent
            and self.year
            and not Subject.objects.filter(scheme=self.scheme, year=self.year, code=parent).exists()
        ):
            raise ValidationError(
                {
                    "code": f"上级科目“{parent}”在 {self.year} 年{self.get_scheme_display()}中"
                    "不存在，请先录入上级科目。"
                }
            )


class SubjectChangeManager(models.Manager):
    def get_by_natural_key(self, scheme, year, old_code, new_code):
        return self.get(scheme=scheme, year=year, old_code=old_code, new_code=new_code)


class SubjectChange(models.Model):
    """One line of the crosswalk between two years' classifications (科目调整): from `year` on,
    `old_code` of the year before is `new_code`. A retired code has no new code; a code split in
    two has two lines. Names are not kept here: each year's Subject rows hold them."""

    scheme = models.CharField("分类", max_length=16, choices=Scheme.choices)
    year = models.PositiveSmallIntegerField(
        "调整年度", validators=year_validators, help_text="新编码开始使用的年度。"
    )
    old_code = models.CharField("原科目编码", max_length=7, validators=[digits_only])
    new_code = models.CharField(
        "新科目编码",
        max_length=7,
        blank=True,
        validators=[digits_only],
        help_text="科目取消且无对应新科目时留空。",
    )
    note = models.TextField(
        "说明", blank=True, help_text="如：财政部《政府收支分类科目》调整文件。"
    )

    objects = SubjectChangeManager()

    history = audited()

    class Meta:
        verbose_name = "科目调整"
        verbose_name_plural = "科目调整对照"
        ordering = ["scheme", "year", "old_code", "new_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "old_code", "new_code"], name="one_subject_change"
            ),
            models.CheckConstraint(
                condition=~models.Q(old_code=models.F("new_code")),
                name="subject_change_changes_the_code",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.old_code} → {self.new_code or '取消'}"

    def natural_key(self):
        return (self.scheme, self.year, self.old_code, self.new_code)

    def clean(self):
        """The old code is a subject of the year before; the new code, at the same level, is one
        of this year's (or, while this year is not opened, will be added when it is)."""
        fields = (self.scheme, self.year, self.old_code)
        if not all(fields) or not self.old_code.isdigit() or not self.year:
            return  # field validation reports these
        scheme_label = self.get_scheme_display()
        errors = {}
        if self.new_code == self.old_code:
            errors["new_code"] = "新编码与原编码相同：编码没有变化的科目无需登记。"
        subjects = Subject.objects.filter(scheme=self.scheme)
        previous = self.year - 1
        if not subjects.filter(year=previous, code=self.old_code).exists():
            errors["old_code"] = (
                f"{previous} 年{scheme_label}中没有科目“{self.old_code}”："
                f"原编码应是调整前一年（{previous} 年）的科目。"
            )
        new = self.new_code
        if new and new != self.old_code and new.isdigit():
            old_level, new_level = (subject_level(self.scheme, c) for c in (self.old_code, new))
            if new_level is None or new_level != old_level:
                old_name = LEVEL_NAMES[old_level] if old_level is not None else "未知层级"
                errors["new_code"] = (
                    f"新编码“{new}”是 {len(new)} 位，原编码“{self.old_code}”是 "
                    f"{len(self.old_code)} 位（{old_name}）：调整前后应为同一层级的科目。"
                )
            elif (
                subjects.filter(year=self.year).exists()
                and not subjects.filter(year=self.year, code=new).exists()
            ):
                errors["new_code"] = (
                    f"{self.year} 年{scheme_label}已开启，但其中没有科目“{new}”：请先在科目中"
                    f"添加 {self.year} 年的“{new}”，再登记此调整。"
                )
        if errors:
            raise ValidationError(errors)
