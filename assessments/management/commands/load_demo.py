from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import ACCOUNTS, PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create demo organisations, answered rounds, positions and actions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load demo data even with DEBUG off (never on a live site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a live site: demo accounts with a known "
                "password would be a risk. Run with --force if you really mean it."
            )
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data created: " + "; ".join(created)))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        accounts = ", ".join(email for email, *_ in ACCOUNTS)
        self.stdout.write(f"Demo accounts (password {PASSWORD!r}): {accounts}")
