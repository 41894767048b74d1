"""The governance library: instruments, their principles, themes and checklist items.

Every model has a natural key (its ``code``, or ``version`` for a release) so that library
files can refer to records without database ids, and so that exports are stable.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance import translations as tr


class CodeManager(models.Manager):
    """Looks records up by their natural key, the ``code``."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class ReleaseManager(models.Manager):
    def get_by_natural_key(self, version):
        return self.get(version=version)


class PrincipleThemeManager(models.Manager):
    def get_by_natural_key(self, principle_code, theme_code):
        return self.get(principle__code=principle_code, theme__code=theme_code)


class ItemRevisionManager(models.Manager):
    def get_by_natural_key(self, item_code, release_version):
        return self.get(item__code=item_code, release__version=release_version)


class ItemLinkRevisionManager(models.Manager):
    def get_by_natural_key(self, item_code, release_version):
        return self.get(item__code=item_code, release__version=release_version)


class ItemPrincipleManager(models.Manager):
    def get_by_natural_key(self, item_code, principle_code):
        return self.get(item__code=item_code, principle__code=principle_code)


class Confidence(models.TextChoices):
    # The reference notes' tags: [V] checked against a retrieved copy, [M] from working
    # knowledge of a widely reproduced text, [U] unverified. The UI flags anything not verified.
    VERIFIED = "verified", _("Verified")
    RECALLED = "recalled", _("Recalled, not re-read")
    UNVERIFIED = "unverified", _("Unverified")


class LibraryRelease(models.Model):
    version = models.CharField(max_length=32, unique=True)
    date = models.DateField()
    notes = models.TextField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseManager()

    class Meta:
        ordering = ["-date", "-version"]
        constraints = [
            models.CheckConstraint(condition=~Q(version=""), name="release_version_not_empty"),
        ]

    def __str__(self):
        return f"Library {self.version}"

    def natural_key(self):
        return (self.version,)


class Theme(tr.Translatable, models.Model):
    TRANSLATED = tr.TRANSLATED["governance.theme"]

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    laip_topic = models.CharField("LAIP topic", max_length=100, blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translated texts by language (docs/library-format.md); the English fields are the source.",
    )

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="theme_code_not_empty"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)


class InstrumentKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    DECLARATION = "declaration", _("Declaration")
    REPORT_CODE = "report_code", _("Report / code")
    RECOMMENDATION = "recommendation", _("Recommendation")
    FRAMEWORK = "framework", _("Framework")
    CONVENTION = "convention", _("Convention")


class Instrument(tr.Translatable, models.Model):
    Kind = InstrumentKind
    TRANSLATED = tr.TRANSLATED["governance.instrument"]

    code = models.CharField(max_length=8, unique=True)
    position = models.PositiveIntegerField(default=0)
    title_en = models.CharField("English title", max_length=400)
    title_original = models.CharField(
        "original-language title",
        max_length=400,
        blank=True,
        help_text="The title in the original language, when it is not English.",
    )
    language = models.CharField(max_length=16, help_text="BCP 47 tag, e.g. zh, en, fr.")
    issuer = models.CharField(max_length=400)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    official_date = models.DateField()
    date_note = models.TextField(blank=True)
    catalogue_title = models.CharField(
        max_length=400, blank=True, help_text="The title exactly as the public catalogue prints it."
    )
    catalogue_issuer = models.CharField(
        max_length=400, blank=True, help_text="The issuer exactly as the public catalogue prints it."
    )
    catalogue_date = models.DateField(null=True, blank=True)
    catalogue_url = models.URLField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500)
    summary = models.TextField()
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    confidence_note = models.TextField(blank=True)
    retired = models.BooleanField(default=False, help_text="Retired instruments are not offered to new assessments.")
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translated texts by language (docs/library-format.md); the English fields are the source.",
    )

    objects = CodeManager()

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="instrument_code_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=InstrumentKind.values), name="instrument_kind_valid"),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values),
                name="instrument_confidence_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title_en}"

    def natural_key(self):
        return (self.code,)


class Principle(tr.Translatable, models.Model):
    TRANSLATED = tr.TRANSLATED["governance.principle"]

    code = models.CharField(max_length=16, unique=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="principles")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=40, help_text="The number or label as printed.")
    section = models.CharField(max_length=200, blank=True)
    heading_en = models.CharField("English heading", max_length=400)
    heading_original = models.CharField("original heading", max_length=400, blank=True)
    summary = models.TextField()
    quoted_text = models.TextField(
        blank=True, help_text="The source's exact words, character for character. Empty if not quoted."
    )
    quote_citation = models.TextField(blank=True)
    quote_url = models.URLField(max_length=500, blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    confidence_note = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, through="PrincipleTheme", related_name="principles")
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translated texts by language (docs/library-format.md); the English fields are the source.",
    )

    objects = CodeManager()

    class Meta:
        ordering = ["instrument__position", "instrument__code", "position"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="principle_code_not_empty"),
            # A quote without a citation cannot be traced back to its source.
            models.CheckConstraint(
                condition=Q(quoted_text="") | ~Q(quote_citation=""),
                name="principle_quote_has_citation",
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values),
                name="principle_confidence_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.heading_en}"

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = ["governance.instrument"]

    def untranslated(self, key, language):
        # Only from an instrument already fetched: a heading must never cost a query.
        instrument = self._state.fields_cache.get("instrument")
        if instrument is None:
            return None
        return tr.principle_original_heading(self.heading_original, instrument.language, key, language)


class PrincipleTheme(models.Model):
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="principle_links")
    is_primary = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = PrincipleThemeManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["principle", "theme"], name="principle_theme_unique"),
            models.UniqueConstraint(
                fields=["principle"], condition=Q(is_primary=True), name="principle_one_primary_theme"
            ),
        ]

    def __str__(self):
        return f"{self.principle.code} → {self.theme.code}"

    def natural_key(self):
        return (self.principle.code, self.theme.code)


class Relevance(models.TextChoices):
    CORE = "core", _("Core")
    SUPPORTING = "supporting", _("Supporting")


class ChecklistItem(tr.Translatable, models.Model):
    TRANSLATED = tr.TRANSLATED["governance.checklistitem"]

    code = models.CharField(max_length=16, unique=True)
    # A short name of the practice, printed beside the code wherever an item is listed.
    title = models.CharField(max_length=80)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="items")
    question = models.TextField()
    guidance = models.TextField()
    evidence_hint = models.TextField("what counts as evidence")
    recommendation = models.TextField(help_text="What to do when the answer is no or partial.")
    weight = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    principles = models.ManyToManyField(Principle, through="ItemPrinciple", related_name="items")
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Translated texts by language (docs/library-format.md); the English fields are the source.",
    )

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="item_code_not_empty"),
            models.CheckConstraint(condition=~Q(question=""), name="item_question_not_empty"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=3), name="item_weight_1_to_3"),
        ]

    def __str__(self):
        return f"{self.code} {self.title or self.question[:80]}"

    def natural_key(self):
        return (self.code,)


class ItemPrinciple(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="principle_links")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="item_links")
    relevance = models.CharField(max_length=12, choices=Relevance.choices, default=Relevance.CORE)

    objects = ItemPrincipleManager()

    class Meta:
        ordering = ["principle__instrument__position", "principle__position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "principle"], name="item_principle_unique"),
            models.CheckConstraint(condition=Q(relevance__in=Relevance.values), name="item_relevance_valid"),
        ]

    def __str__(self):
        return f"{self.item.code} → {self.principle.code} ({self.relevance})"

    def natural_key(self):
        return (self.item.code, self.principle.code)


class ItemRevision(models.Model):
    """An item's wording as of a library release: recorded whenever a load changes it.

    Answers point at the revision they were given to, so an answer to old wording can be shown
    as stale once an assessment moves to a release where the item reads differently. The title
    and the translations are not wording in this sense: a new title or a new translation leaves
    the question answered as it was (translations follow their English by ``source_hash``).
    """

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="revisions")
    release = models.ForeignKey(LibraryRelease, on_delete=models.PROTECT, related_name="item_revisions")
    question = models.TextField()
    guidance = models.TextField()
    evidence_hint = models.TextField()
    recommendation = models.TextField()
    weight = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    WORDING = ("question", "guidance", "evidence_hint", "recommendation", "weight")

    objects = ItemRevisionManager()

    class Meta:
        ordering = ["item", "-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "release"], name="item_revision_per_release"),
        ]

    def __str__(self):
        return f"{self.item.code} in {self.release.version}"

    def natural_key(self):
        return (self.item.code, self.release.version)


class ItemLinkRevision(models.Model):
    """The principles an item served as of a library release: recorded whenever a load changes
    its links.

    A draft's checklist is every item linked to its instruments, so these tell which items a
    draft pinned to an older release did not have on its checklist yet, for the upgrade preview.
    Kept apart from ``ItemRevision`` because new links do not make existing answers stale: the
    question the answer was given to is unchanged.
    """

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="link_revisions")
    release = models.ForeignKey(LibraryRelease, on_delete=models.PROTECT, related_name="item_link_revisions")
    principles = models.JSONField(help_text="The codes of the principles the item served, sorted.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ItemLinkRevisionManager()

    class Meta:
        ordering = ["item", "-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "release"], name="item_link_revision_per_release"),
        ]

    def __str__(self):
        return f"{self.item.code} links in {self.release.version}"

    def natural_key(self):
        return (self.item.code, self.release.version)


class LibraryState(models.Model):
    """One row whose ``revision`` goes up with every change to the library, in the same
    transaction as the change.

    Whatever is derived from the library and kept (a draft's cached report) records the revision
    it was made from, so that a single-row read tells whether the library has changed since.
    ``governance.signals`` bumps it on every save and delete of a library model, and
    ``library_write`` once more for its bulk inserts, which send no signal. Code that changes the
    library with ``QuerySet.update()`` must call ``library_changed()`` itself.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="library_state_single_row")]

    def __str__(self):
        return f"Library revision {self.revision}"
