"""Recounts every pair's figures per school year (programs.summaries.PairYear) and its
latest activity (PairLatestActivity).

They are kept current by every save and delete of activities, plan items and plans; run
this after loading rows by other means (raw SQL, a restore of part of a database), or to
check that nothing drifted: ``--check`` compares without writing and lists differences.
"""

from django.core.management.base import BaseCommand, CommandError

from programs.models import Pair
from programs.summaries import PairLatestActivity, count_pairs, latest_of, rebuild_all, stored_pairs

CHECK_BATCH = 2000


class Command(BaseCommand):
    help = "Recount each pair's yearly figures from its activities and plans (--check: compare only)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare with a recount; write nothing.")

    def handle(self, *args, **options):
        if options["check"]:
            ids = list(Pair.objects.order_by("pk").values_list("pk", flat=True))
            differ = []
            for start in range(0, len(ids), CHECK_BATCH):
                part = ids[start : start + CHECK_BATCH]
                counted, stored = count_pairs(part), stored_pairs(part)
                keys = counted.keys() | stored.keys()
                wrong = {key[0] for key in keys if counted.get(key) != stored.get(key)}
                latest = latest_of(counted)
                kept = dict(PairLatestActivity.objects.filter(pair_id__in=part).values_list("pair_id", "on"))
                wrong |= {pk for pk in latest.keys() | kept.keys() if latest.get(pk) != kept.get(pk)}
                differ += sorted(wrong)
            if differ:
                shown = ", ".join(str(pk) for pk in differ[:20])
                raise CommandError(f"{len(differ)} pair(s) differ from a recount (ids {shown}); run without --check.")
            self.stdout.write(f"{len(ids)} pairs: every kept figure equals a recount.")
            return

        def progress(done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total} pairs")

        kept = rebuild_all(progress=progress)
        self.stdout.write(f"Recounted: {kept} pair-year rows kept.")
