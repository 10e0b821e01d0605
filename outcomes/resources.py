"""The annual workbook's sheet of gaps: for each school pair in scope and indicator,
the gap of the year before the pair began and of its latest year up to the report's."""

from django.utils.translation import gettext_lazy
from import_export import fields

from outcomes.models import PairGap
from outcomes.reads import number
from twinning.lib.resources import KetNghiaResource
from twinning.lib.schoolyear import display_school_year


class GapResource(KetNghiaResource):
    pair_code = fields.Field(attribute="pair__code", column_name=gettext_lazy("Pair code"))
    pair_name = fields.Field(column_name=gettext_lazy("Twinning pair"), readonly=True)
    indicator = fields.Field(column_name=gettext_lazy("Indicator"), readonly=True)
    base_year = fields.Field(column_name=gettext_lazy("Year before the pair"), readonly=True)
    base_gap = fields.Field(column_name=gettext_lazy("Gap then"), readonly=True)
    year = fields.Field(column_name=gettext_lazy("Latest year"), readonly=True)
    mentor_value = fields.Field(column_name=gettext_lazy("Helping school"), readonly=True)
    mentee_value = fields.Field(column_name=gettext_lazy("Helped school"), readonly=True)
    gap = fields.Field(column_name=gettext_lazy("Gap now"), readonly=True)
    trend = fields.Field(column_name=gettext_lazy("Trend"), readonly=True)
    illustrative = fields.Field(column_name=gettext_lazy("Illustrative"), readonly=True)

    class Meta(KetNghiaResource.Meta):
        model = PairGap
        fields = (
            "pair_code",
            "pair_name",
            "indicator",
            "base_year",
            "base_gap",
            "year",
            "mentor_value",
            "mentee_value",
            "gap",
            "trend",
            "illustrative",
        )
        export_order = fields

    def dehydrate_pair_name(self, gap):
        return f"{gap.pair.mentor.display_name} → {gap.pair.mentee.display_name}"

    def dehydrate_indicator(self, gap):
        return str(gap.indicator)

    def dehydrate_base_year(self, gap):
        return display_school_year(gap.base_year) if gap.base_year else ""

    def dehydrate_base_gap(self, gap):
        return number(gap.base_behind, gap.indicator) if gap.base_behind is not None else ""

    def dehydrate_year(self, gap):
        return display_school_year(gap.school_year)

    def dehydrate_mentor_value(self, gap):
        return number(gap.mentor_value, gap.indicator)

    def dehydrate_mentee_value(self, gap):
        return number(gap.mentee_value, gap.indicator)

    def dehydrate_gap(self, gap):
        return number(gap.behind, gap.indicator)

    def dehydrate_trend(self, gap):
        return str(PairGap.Trend(gap.trend).label)

    def dehydrate_illustrative(self, gap):
        return gettext_lazy("illustrative") if gap.is_illustrative else ""
