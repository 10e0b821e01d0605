"""Load the demo data of the source articles (fixtures/demo.json) and the demo accounts.

Why: a new user or developer should see the portal with the real movements, pairs,
memorandum, lesson and donations of the articles, and log in as each role.
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
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from programs.models import Activity, Donation, Memorandum, Pair, Plan, PlanItem, Program, Signatory, WorkingGroup
from schools.models import Area, Membership, Organization

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

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Demo data file not found: {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        self.created = 0
        self.updated = 0
        self.reset_passwords = options["reset_passwords"]
        try:
            with transaction.atomic():
                self.load(data)
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

    def set_m2m(self, manager, objects):
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.updated += 1

    # --- loading -------------------------------------------------------------------
    def load(self, data):
        areas = {}
        for row in data["areas"]:
            areas[row["key"]] = self.upsert(
                Area,
                {"slug": row["key"]},
                {
                    "name": row["name"],
                    "designation": row.get("designation", ""),
                    "kind": row["kind"],
                    "parent": areas.get(row.get("parent")),
                },
            )

        orgs = {}
        text_fields = ("short_name", "code", "level", "area_type", "head_name", "head_title", "address", "note")
        for row in data["organizations"]:
            values = {
                "kind": row["kind"],
                "name": row["name"],
                "area": areas[row["area"]],
                "parent": orgs.get(row.get("parent")),
            }
            values.update({name: row.get(name, "") for name in text_fields})
            orgs[row["slug"]] = self.upsert(Organization, {"slug": row["slug"]}, values)

        programs = {}
        for row in data["programs"]:
            program = self.upsert(
                Program,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "description": row.get("description", ""),
                    "start_year": row["start_year"],
                    "end_year": row["end_year"],
                    "launched_on": _date(row.get("launched_on")),
                    "is_public": row.get("is_public", True),
                },
            )
            self.set_m2m(program.organizers, [orgs[slug] for slug in row["organizers"]])
            programs[row["slug"]] = program

        pairs = {}
        for row in data["pairs"]:
            pairs[row["code"]] = self.upsert(
                Pair,
                {"code": row["code"]},
                {
                    "program": programs[row["program"]],
                    "mentor": orgs[row["mentor"]],
                    "mentee": orgs[row["mentee"]],
                    "parent": pairs.get(row.get("parent")),
                    "status": row.get("status", Pair.Status.ACTIVE),
                    "started_on": _date(row.get("started_on")),
                    "note": row.get("note", ""),
                },
            )
            pair = pairs[row["code"]]
            parent = pair.parent
            self.date_history(
                pair, pair.started_on or (parent.started_on if parent else None) or _program_start(pair.program)
            )

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

        for row in data["working_groups"]:
            self.upsert(
                WorkingGroup,
                {"program": programs[row["program"]], "office": orgs[row["office"]], "level": row.get("level", "")},
                {"name": row["name"], "tasks": row.get("tasks", "")},
            )

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

        self.load_users(data["users"], orgs)

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
                self.upsert(
                    Membership,
                    {"user": user, "organization": orgs[membership["organization"]], "role": membership["role"]},
                    {"title": membership.get("title", ""), "is_active": True},
                )
