"""Where a publication was published, and the archived text its figures were transcribed from.

Kept apart from Publication: the text runs to tens of kilobytes, and every page that names a
publication would otherwise load it (and every audited save of a publication copy it)."""

import hashlib

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budgets.models.history import audited
from budgets.models.organisation import Publication


class TranscriptionMethod(models.TextChoices):
    PDF_TEXT = "pdf_text", _("PDF 转文本")
    OCR = "ocr", _("PDF 经 OCR 转文本")
    TYPED = "typed", _("人工录入")


class PublicationSource(models.Model):
    """The original document of one publication: its address, title and page count as
    published (blank where the portal does not know them: 未载明, never guessed), and the
    text the portal's figures were transcribed from, served as an archived copy."""

    publication = models.OneToOneField(
        Publication, verbose_name="公开文件", on_delete=models.CASCADE, related_name="source"
    )
    document_title = models.CharField(
        "原文标题",
        max_length=300,
        blank=True,
        help_text="原始公开文件封面或首页印出的标题；原文未印标题时留空。",
    )
    address = models.URLField(
        "公开网址", max_length=500, blank=True, help_text="原始文件的公开网址；不知道时留空。"
    )
    page_count = models.PositiveSmallIntegerField(
        "页数", null=True, blank=True, help_text="原始文件（PDF）的页数；不知道时留空。"
    )
    file_name = models.CharField(
        "转录文本文件名", max_length=200, help_text="录入时所用的原文文本文件名。"
    )
    method = models.CharField("转录方式", max_length=16, choices=TranscriptionMethod.choices)
    text = models.TextField(
        "原文文本",
        help_text="录入数据所依据的原文全文（原样保存，含 OCR 噪声），网站提供存档副本下载。",
    )

    history = audited()

    class Meta:
        verbose_name = "原始文件"
        verbose_name_plural = "原始文件"
        ordering = ["publication"]

    def __str__(self):
        return self.document_title or self.file_name

    def get_absolute_url(self):
        publication = self.publication
        return reverse(
            "budgets:publication_source",
            kwargs={
                "unit_code": publication.unit.code,
                "year": publication.year,
                "kind": publication.kind,
            },
        )

    def natural_key(self):
        return self.publication.natural_key()

    natural_key.dependencies = ["budgets.publication"]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))
