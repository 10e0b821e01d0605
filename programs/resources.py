"""Spreadsheet import and export of pairs and donations (admin and portal pages use
the same resources)."""

from django.utils.translation import gettext_lazy
from import_export import fields

from programs.models import Donation, Pair, Program
from schools.resources import OrganizationWidget
from twinning.lib.codes import new_code
from twinning.lib.resources import (
    ChoicesWidget,
    DayFirstDateWidget,
    KetNghiaResource,
    LookupWidget,
    PositiveCountWidget,
    VndWidget,
)
from twinning.lib.text import nfc

STATUS_ALIASES = {"đề xuất": "proposed", "đang hoạt động": "active", "kết thúc": "ended", "từ chối": "declined"}
DONATION_KIND_ALIASES = {
    "đỡ đầu": "sponsorship",
    "suất quà": "gift",
    "quà": "gift",
    "học bổng": "scholarship",
    "thiết bị": "equipment",
    "sách": "books",
    "khác": "other",
}


class ProgramWidget(LookupWidget):
    lookups = ("slug__iexact", "short_name__iexact", "name__iexact")

    def __init__(self, **kwargs):
        super().__init__(Program, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class PairWidget(LookupWidget):
    lookups = ("code__iexact",)

    def __init__(self, **kwargs):
        super().__init__(Pair, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Pair.objects.exclude(status=Pair.Status.DECLINED)


class PairResource(KetNghiaResource):
    code = fields.Field(attribute="code", column_name=gettext_lazy("Pair code"), readonly=True)
    program = fields.Field(attribute="program", column_name=gettext_lazy("Program"), widget=ProgramWidget())
    mentor = fields.Field(attribute="mentor", column_name=gettext_lazy("Helping side"), widget=OrganizationWidget())
    mentee = fields.Field(attribute="mentee", column_name=gettext_lazy("Helped side"), widget=OrganizationWidget())
    parent = fields.Field(attribute="parent", column_name=gettext_lazy("Office partnership code"), widget=PairWidget())
    status = fields.Field(
        attribute="status",
        column_name=gettext_lazy("Status"),
        widget=ChoicesWidget(Pair.Status, aliases=STATUS_ALIASES),
    )
    started_on = fields.Field(attribute="started_on", column_name=gettext_lazy("Since"), widget=DayFirstDateWidget())
    ended_on = fields.Field(attribute="ended_on", column_name=gettext_lazy("Ended on"), widget=DayFirstDateWidget())
    note = fields.Field(attribute="note", column_name=gettext_lazy("Note"))

    class Meta(KetNghiaResource.Meta):
        model = Pair
        import_id_fields = ("program", "mentor", "mentee")
        fields = ("code", "program", "mentor", "mentee", "parent", "status", "started_on", "ended_on", "note")

    def get_queryset(self):
        return Pair.objects.select_related("program", "mentor", "mentee", "parent")

    def get_instance(self, instance_loader, row):
        # The natural key: the same two units in the same program, not counting a
        # declined proposal (which does not block registering them again).
        try:
            params = {name: self.fields[name].clean(row) for name in ("program", "mentor", "mentee")}
        except ValueError:
            return None
        if not all(params.values()):
            return None
        return Pair.objects.exclude(status=Pair.Status.DECLINED).filter(**params).first()

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        status_column = self.fields["status"].column_name
        if not str(row.get(status_column) or "").strip():
            row[status_column] = Pair.Status.PROPOSED


class DonationResource(KetNghiaResource):
    """Donations without the private note about beneficiaries and without the
    receipt: those never leave the portal through a spreadsheet here."""

    code = fields.Field(attribute="code", column_name=gettext_lazy("Donation code"))
    program = fields.Field(attribute="program", column_name=gettext_lazy("Program"), widget=ProgramWidget())
    pair = fields.Field(attribute="pair", column_name=gettext_lazy("Pair code"), widget=PairWidget())
    kind = fields.Field(
        attribute="kind",
        column_name=gettext_lazy("Kind of support"),
        widget=ChoicesWidget(Donation.Kind, aliases=DONATION_KIND_ALIASES),
    )
    amount = fields.Field(attribute="amount", column_name=gettext_lazy("Amount (VND)"), widget=VndWidget())
    packages = fields.Field(
        attribute="packages", column_name=gettext_lazy("Number of packages"), widget=PositiveCountWidget()
    )
    beneficiaries = fields.Field(
        attribute="beneficiaries", column_name=gettext_lazy("Number of beneficiaries"), widget=PositiveCountWidget()
    )
    given_on = fields.Field(attribute="given_on", column_name=gettext_lazy("Date"), widget=DayFirstDateWidget())
    donor_org = fields.Field(attribute="donor_org", column_name=gettext_lazy("Donor unit"), widget=OrganizationWidget())
    donor_name = fields.Field(attribute="donor_name", column_name=gettext_lazy("Donor's name"))
    recipient = fields.Field(attribute="recipient", column_name=gettext_lazy("Recipient"), widget=OrganizationWidget())
    description = fields.Field(attribute="description", column_name=gettext_lazy("Description"))

    class Meta(KetNghiaResource.Meta):
        model = Donation
        import_id_fields = ("code",)
        fields = (
            "code",
            "program",
            "pair",
            "kind",
            "amount",
            "packages",
            "beneficiaries",
            "given_on",
            "donor_org",
            "donor_name",
            "recipient",
            "description",
        )

    def get_queryset(self):
        return Donation.objects.select_related("program", "pair", "donor_org", "recipient")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["code"].column_name
        if column not in (dataset.headers or []):
            dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # A new donation has no code yet: give it one, so the exported sheet can be
        # re-imported to update it.
        column = self.fields["code"].column_name
        if not nfc(str(row.get(column) or "")):
            row[column] = new_code()

    def get_instance(self, instance_loader, row):
        code = nfc(str(row.get(self.fields["code"].column_name) or ""))
        return Donation.objects.filter(code__iexact=code).first() if code else None
