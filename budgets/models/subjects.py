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
