from django.core.management.base import BaseCommand

from programs.services.deadlines import send_reminders


class Command(BaseCommand):
    help = (
        "Reminds the principals and officers of each active pair that has not handed in a plan or year-end "
        "review whose deadline (the program's reporting calendar) is near or has passed; each person once per "
        "pair and reminder. Run once a day, e.g. by cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} notification(s) made")
