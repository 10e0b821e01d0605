"""Load the demo data of the source articles (fixtures/demo.json) and the demo accounts.

Why: a new user or developer should see the portal with the real movements, pairs,
memorandum, lesson and donations of the articles, and log in as each role — in the
2019–2025 world of the articles (district education offices) and in today's (since
1 July 2025: no districts, schools under commune People's Committees, clusters, a
2025–2030 phase pairing Hà Nội schools with Nghệ An border boarding schools).
Areas are the official ones (``load_areas``, run first); the reorganisation is
recorded through the same services the workspace uses (placements, cessations).
Idempotent: rows are matched by natural keys (slugs and codes) and only written when
something differs, so a second run changes nothing. Passwords are set only when an
account is created (or with --reset-passwords).

The change history of a seeded pair, memorandum, activity or donation is dated at
the event it stands for (the pair's start, the signing, the activity, the gift), not
at load time: a pair signed in 2022 does not show "registered today". A database
seeded before this rule has its seeded history re-dated on the next run.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from needs.demo import load as load_needs_demo
from outcomes.demo import load as load_outcomes_demo
from programs.models import Activity, Donation, Memorandum, Pair, Plan, PlanItem, Program, Signatory, WorkingGroup
from programs.services.units import unit_cease
from schools.models import Area, Membership, Organization, Placement
from schools.services.units import organization_move

# The provinces of the demo: Hà Nội and Nghệ An (``--areas demo`` loads only these).
DEMO_PROVINCES = ["01", "40"]

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


class DryRun(Exception):
    pass


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _moment(day: datetime.date) -> datetime.datetime:
    """A history timestamp for an event known by its day: 8 a.m. local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))


def _program_start(program) -> datetime.date:
    return program.launched_on or datetime.date(program.start_year, 9, 1)


class Command(BaseCommand):
    help = "Load the demo data from the source articles and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FIXTURE), help="The demo data file (JSON).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Set every demo account's password to DEMO_PASSWORD."
        )
        parser.add_argument("--accounts", action="store_true", help="List the demo accounts at the end.")
        parser.add_argument(
            "--areas",
            choices=["all", "demo", "none"],
            default=None,
            help="Official areas to load first: the whole country, Hà Nội and Nghệ An only, or none "
            "(default: the DEMO_AREAS setting, 'all').",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Demo data file not found: {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        self.created = 0
        self.updated = 0
        self.reset_passwords = options["reset_passwords"]
        areas = options["areas"] or settings.DEMO_AREAS
        try:
            with transaction.atomic():
                if areas != "none":
                    # Inside the transaction: a dry run rolls the areas back too.
                    provinces = DEMO_PROVINCES if areas == "demo" else []
                    call_command("load_areas", province=provinces, verbosity=0, stdout=self.stdout)
                self.load(data)
                self.created += load_outcomes_demo()
                self.created += load_needs_demo()
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write(f"Dry run: would create {self.created} and update {self.updated} rows; nothing written.")
            return
        self.stdout.write(
            f"Demo data loaded: {self.created} rows created, {self.updated} updated "
            f"({Organization.objects.count()} units, {Pair.objects.count()} pairs, "
            f"{get_user_model().objects.count()} accounts)."
        )
        if options["accounts"]:
            self.print_accounts(data["users"])

    def print_accounts(self, rows):
        self.stdout.write(f"\nDemo accounts (password: {settings.DEMO_PASSWORD}):")
        for row in rows:
            role = "superuser" if row.get("superuser") else ", ".join(m["role"] for m in row.get("memberships", []))
            self.stdout.write(f"  {row['username']:<18} {role:<18} {row.get('first_name', '')}")

    # --- helpers -------------------------------------------------------------------
    def upsert(self, model, lookup: dict, values: dict):
        """Creates the row or updates only the fields that differ; returns it."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean()
            instance.save()
            self.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.full_clean()
            instance.save()
            self.updated += 1
        return instance

    def date_history(self, instance, day: datetime.date):
        """Dates the history record of the seeding of ``instance`` (created by this
        command: no user) at ``day``. Idempotent: a record already dated so is left."""
        moment = _moment(day)
        records = instance.history.filter(history_type="+", history_user__isnull=True).exclude(history_date=moment)
        records.update(history_date=moment)

    def date_end(self, pair, day):
        """Dates the history record of the pair's end (by this command) at ``day``."""
        if day:
            pair.history.filter(history_type="~", status=Pair.Status.ENDED, history_user__isnull=True).exclude(
                history_date=_moment(day)
            ).update(history_date=_moment(day))

    def set_m2m(self, manager, objects):
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.updated += 1

    # --- loading -------------------------------------------------------------------
    def area(self, ref):
        """The official area of a fixture reference "kind:code": the one that exists
        today, else the latest that ended (a district of 2022–2025)."""
        if not ref:
            return None
        kind, code = ref.split(":")
        area = Area.objects.filter(kind=kind, code=code).order_by(F("valid_until").desc(nulls_first=True)).first()
        if area is None:
            raise CommandError(f"Area {ref} not found: load the official areas first (manage.py load_areas).")
        return area

    def load(self, data):
        """Everything in the seed file, each kind of row after those it refers to."""
        orgs = self.load_organizations(data)
        programs = self.load_programs(data, orgs)
        pairs = self.load_pairs(data, orgs, programs)
        self.load_memoranda(data, orgs, programs, pairs)
        self.load_working_groups(data, orgs, programs)
        self.load_plans(data, pairs)
        self.load_activities(data, orgs, pairs)
        self.load_donations(data, orgs, programs, pairs)
        self.load_placements(data.get("placements", []), orgs)
        self.load_cessations(data["organizations"], orgs)
        self.load_users(data["users"], orgs)

    def load_organizations(self, data):
        """Units, as they stood first ({slug: unit})."""
        orgs = {}
        text_fields = ("short_name", "code", "level", "area_type", "head_name", "head_title", "address", "note")
        # Managing bodies and clusters first: the units they manage refer to them.
        rows = sorted(data["organizations"], key=lambda row: bool(row.get("parent") or row.get("cluster")))
        for row in rows:
            values = {"kind": row["kind"], "name": row["name"], "valid_from": _date(row.get("valid_from"))}
            values.update({name: row.get(name, "") for name in text_fields})
            # Where a unit stands and who manages it are dated facts: given here as they
            # were first; later changes come from "placements" (through the service).
            place = {
                "area": self.area(row.get("area")),
                "parent": orgs.get(row.get("parent")),
                "cluster": orgs.get(row.get("cluster")),
            }
            existing = Organization.objects.filter(slug=row["slug"]).first()
            orgs[row["slug"]] = self.upsert(
                Organization, {"slug": row["slug"]}, values if existing else {**values, **place}
            )
        return orgs

    def load_programs(self, data, orgs):
        """Programs and their organizers ({slug: program})."""
        programs = {}
        for row in data["programs"]:
            program = self.upsert(
                Program,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "description": row.get("description", ""),
                    "legal_basis": row.get("legal_basis", ""),
                    "previous_phase": programs.get(row.get("previous_phase")),
                    "start_year": row["start_year"],
                    "end_year": row["end_year"],
                    "launched_on": _date(row.get("launched_on")),
                    "is_public": row.get("is_public", True),
                },
            )
            self.set_m2m(program.organizers, [orgs[slug] for slug in row["organizers"]])
            programs[row["slug"]] = program
        return programs

    def load_pairs(self, data, orgs, programs):
        """Pairs, with their history dated as they happened ({code: pair})."""
        pairs = {}
        for row in data["pairs"]:
            status = row.get("status", Pair.Status.ACTIVE)
            values = {
                "program": programs[row["program"]],
                "mentor": orgs[row["mentor"]],
                "mentee": orgs[row["mentee"]],
                "parent": pairs.get(row.get("parent")),
                "status": status,
                "started_on": _date(row.get("started_on")),
                "ended_on": _date(row.get("ended_on")),
                "decision_reason": row.get("decision_reason", ""),
                "proposed_by_org": orgs.get(row.get("proposed_by_org")),
                "note": row.get("note", ""),
            }
            new = not Pair.objects.filter(code=row["code"]).exists()
            if new and status == Pair.Status.ENDED:
                # Its history shows it running first, then ending on its day.
                values.update(status=Pair.Status.ACTIVE, ended_on=None, decision_reason="")
            pair = pairs[row["code"]] = self.upsert(Pair, {"code": row["code"]}, values)
            parent = pair.parent
            self.date_history(
                pair, pair.started_on or (parent.started_on if parent else None) or _program_start(pair.program)
            )
            if status == Pair.Status.ENDED:
                self.upsert(
                    Pair,
                    {"code": row["code"]},
                    {
                        "status": status,
                        "ended_on": _date(row.get("ended_on")),
                        "decision_reason": row.get("decision_reason", ""),
                    },
                )
                self.date_end(pair, _date(row.get("ended_on")))
        return pairs

    def load_memoranda(self, data, orgs, programs, pairs):
        """Memoranda, the pairs they cover and their signatories."""
        for row in data["memoranda"]:
            memo = self.upsert(
                Memorandum,
                {"code": row["code"]},
                {
                    "program": programs[row["program"]],
                    "title": row["title"],
                    "reference_number": row.get("reference_number", ""),
                    "signed_on": _date(row.get("signed_on")),
                    "place": row.get("place", ""),
                    "valid_from": _date(row.get("valid_from")),
                    "valid_until": _date(row.get("valid_until")),
                    "note": row.get("note", ""),
                },
            )
            self.set_m2m(memo.pairs, [pairs[code] for code in row["pairs"]])
            starts = [pairs[code].started_on for code in row["pairs"] if pairs[code].started_on]
            self.date_history(
                memo, memo.signed_on or memo.valid_from or min(starts, default=_program_start(memo.program))
            )
            for order, signatory in enumerate(row.get("signatories", [])):
                self.upsert(
                    Signatory,
                    {"memorandum": memo, "order": order},
                    {
                        "name": signatory.get("name", ""),
                        "title": signatory["title"],
                        "organization": orgs.get(signatory.get("organization")),
                    },
                )

    def load_working_groups(self, data, orgs, programs):
        """Working groups of the offices."""
        for row in data["working_groups"]:
            self.upsert(
                WorkingGroup,
                {"program": programs[row["program"]], "office": orgs[row["office"]], "level": row.get("level", "")},
                {"name": row["name"], "tasks": row.get("tasks", "")},
            )

    def load_plans(self, data, pairs):
        """Plans and their items."""
        for row in data["plans"]:
            plan = self.upsert(
                Plan,
                {"pair": pairs[row["pair"]], "school_year": row["school_year"]},
                {"status": row.get("status", Plan.Status.DRAFT), "note": row.get("note", "")},
            )
            for order, item in enumerate(row.get("items", [])):
                self.upsert(
                    PlanItem,
                    {"plan": plan, "order": order},
                    {
                        "kind": item["kind"],
                        "title": item["title"],
                        "planned_month": _date(item["planned_month"]),
                        "responsible": item.get("responsible", ""),
                    },
                )

    def load_activities(self, data, orgs, pairs):
        """Activities, their history dated on the day they happened."""
        for row in data["activities"]:
            activity = self.upsert(
                Activity,
                {"code": row["code"]},
                {
                    "pair": pairs[row["pair"]],
                    "kind": row["kind"],
                    "status": row.get("status", Activity.Status.CONFIRMED),
                    "happened_on": _date(row["happened_on"]),
                    "title": row["title"],
                    "host": orgs.get(row.get("host")),
                    "place": row.get("place", ""),
                    "subject": row.get("subject", ""),
                    "grade": row.get("grade", ""),
                    "leading_teacher": row.get("leading_teacher", ""),
                    "description": row.get("description", ""),
                    "lessons_learned": row.get("lessons_learned", ""),
                    "is_public": row.get("is_public", False),
                    "reported_by_org": orgs.get(row.get("reported_by_org")),
                },
            )
            self.date_history(activity, activity.happened_on)

    def load_donations(self, data, orgs, programs, pairs):
        """Donations, their history dated on the day they were given."""
        for row in data["donations"]:
            donation = self.upsert(
                Donation,
                {"code": row["code"]},
                {
                    "program": programs[row["program"]],
                    "pair": pairs.get(row.get("pair")),
                    "kind": row["kind"],
                    "amount": row["amount"],
                    "packages": row.get("packages"),
                    "beneficiaries": row.get("beneficiaries"),
                    "given_on": _date(row["given_on"]),
                    "donor_org": orgs.get(row.get("donor_org")),
                    "donor_name": row.get("donor_name", ""),
                    "recipient": orgs[row["recipient"]],
                    "description": row.get("description", ""),
                },
            )
            self.date_history(donation, donation.given_on)

    def load_placements(self, rows, orgs):
        """The changes of managing body, place and cluster (1 July 2025 and later),
        recorded through the workspace's service; one already recorded is left."""
        for row in sorted(rows, key=lambda r: r["valid_from"]):
            unit = Organization.objects.get(pk=orgs[row["organization"]].pk)
            on = _date(row["valid_from"])
            wanted = {}
            if "area" in row:
                wanted["area"] = self.area(row["area"])
            if "parent" in row:
                wanted["parent"] = orgs.get(row["parent"])
            if "cluster" in row:
                wanted["cluster"] = orgs.get(row["cluster"])
            recorded = unit.placements.filter(valid_from=on).first()
            if recorded is not None:
                # Recorded already: only the wording of its reference and note may change.
                self.upsert(
                    Placement,
                    {"pk": recorded.pk},
                    {"legal_reference": row.get("legal_reference", ""), "note": row.get("note", "")},
                )
                continue
            current = unit.placements.order_by(F("valid_from").desc(nulls_last=True)).first()
            if current and current.valid_from and current.valid_from > on:
                continue  # a later change is recorded already
            if all(getattr(unit, f"{name}_id") == getattr(value, "pk", None) for name, value in wanted.items()):
                continue
            organization_move(
                user=None,
                organization=unit,
                on=on,
                legal_reference=row.get("legal_reference", ""),
                note=row.get("note", ""),
                **wanted,
            )
            # Recorded "on the day", as a Department would have (not at load time).
            Placement.objects.filter(organization=unit, valid_from=on).update(recorded_at=_moment(on))
            self.updated += 1

    def load_cessations(self, rows, orgs):
        """District offices ceased on 1 July 2025: recorded through the service (their
        running pairs end that day, their users lose their role)."""
        for row in rows:
            if not row.get("valid_until"):
                continue
            unit = Organization.objects.get(pk=orgs[row["slug"]].pk)
            if unit.has_ceased:
                continue
            unit_cease(
                user=None,
                organization=unit,
                last_day=_date(row["valid_until"]),
                legal_reference=row.get("end_reference", ""),
            )
            self.updated += 1

    def load_users(self, rows, orgs):
        User = get_user_model()
        password = settings.DEMO_PASSWORD
        for row in rows:
            user = User.objects.filter(username=row["username"]).first()
            values = {
                "first_name": row.get("first_name", ""),
                "last_name": row.get("last_name", ""),
                "is_superuser": row.get("superuser", False),
                "is_staff": row.get("superuser", False),
                "is_active": True,
            }
            if user is None:
                user = User(username=row["username"], **values)
                user.set_password(password)
                user.save()
                self.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(user, k) != v]
                if self.reset_passwords and not user.check_password(password):
                    user.set_password(password)
                    changed.append("password")
                if changed:
                    for key in changed:
                        if key != "password":
                            setattr(user, key, values[key])
                    user.save()
                    self.updated += 1
            for membership in row.get("memberships", []):
                organization = Organization.objects.get(pk=orgs[membership["organization"]].pk)
                # A unit that ceased has no live users (its accounts stay, their role
                # ended on the unit's last day: 30/06/2025 for a district office).
                values = {"title": membership.get("title", ""), "is_active": not organization.has_ceased}
                if organization.has_ceased:
                    values["valid_until"] = organization.valid_until
                self.upsert(
                    Membership, {"user": user, "organization": organization, "role": membership["role"]}, values
                )
