"""``manage.py delete_expired_answers``: delete each person's answers and notes in the
rounds past their organisation's keeping period, keeping what the rounds published. Every
worker does this on its own once an hour; this is for a deployment that runs it by cron."""

from django.core.management.base import BaseCommand

from assessments.datarights import retention


class Command(BaseCommand):
    help = "Delete answers and notes of rounds past their organisation's keeping period"

    def handle(self, *args, **options):
        rounds = retention.expired_answers_delete()
        self.stdout.write(f"answers deleted in {rounds} rounds past their keeping period")
