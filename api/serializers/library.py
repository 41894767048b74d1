"""The public library as the API shows it. Codes name everything; ids never leave the server."""

from rest_framework import serializers

from governance.models import ChecklistItem, Instrument, Principle, Relevance, Theme


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["code", "name", "description"]


class InstrumentSerializer(serializers.ModelSerializer):
    principle_count = serializers.IntegerField(read_only=True)
    item_count = serializers.IntegerField(read_only=True, help_text="Active checklist items serving its principles.")

    class Meta:
        model = Instrument
        fields = [
            "code",
            "title_en",
            "title_original",
            "language",
            "issuer",
            "kind",
            "official_date",
            "date_note",
            "catalogue_title",
            "catalogue_issuer",
            "catalogue_date",
            "catalogue_url",
            "source_url",
            "summary",
            "confidence",
            "confidence_note",
            "retired",
            "principle_count",
            "item_count",
        ]


class PrincipleThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(source="theme.code")
    primary = serializers.BooleanField(source="is_primary")


# Integer fields are declared: generated from the model, their bounds would be the database's
# (64-bit on SQLite, 32-bit on PostgreSQL), and the schema would differ between the two.


class PrincipleSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="instrument.code")
    position = serializers.IntegerField(read_only=True, help_text="Its place in the instrument.")
    themes = PrincipleThemeSerializer(source="theme_links", many=True)

    class Meta:
        model = Principle
        fields = [
            "code",
            "instrument",
            "position",
            "label",
            "section",
            "heading_en",
            "heading_original",
            "summary",
            "quoted_text",
            "quote_citation",
            "quote_url",
            "confidence",
            "confidence_note",
            "themes",
        ]


class ItemLinkSerializer(serializers.Serializer):
    principle = serializers.CharField(source="principle.code")
    instrument = serializers.CharField(source="principle.instrument.code")
    relevance = serializers.ChoiceField(choices=Relevance.choices)


class ItemSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.code")
    weight = serializers.IntegerField(read_only=True, help_text="1 to 3: how much the item counts.")
    principles = ItemLinkSerializer(source="principle_links", many=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "code",
            "title",
            "theme",
            "question",
            "guidance",
            "evidence_hint",
            "recommendation",
            "weight",
            "principles",
        ]


class CrosswalkCellSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    principles = serializers.ListField(child=serializers.CharField(), help_text="Principle codes on this theme.")
    primary = serializers.ListField(
        child=serializers.CharField(), help_text="Those of them whose primary theme this is."
    )


class CrosswalkRowSerializer(serializers.Serializer):
    theme = ThemeSerializer()
    cells = CrosswalkCellSerializer(many=True)


class CrosswalkSerializer(serializers.Serializer):
    instruments = serializers.ListField(child=serializers.CharField())
    rows = CrosswalkRowSerializer(many=True)
