"""``manage.py prune_exports``: delete prepared downloads past their time (every worker
also does this on its own every half minute), and put back what dead workers held."""

from django.core.management.base import BaseCommand

from assessments.jobs import exports, worker


class Command(BaseCommand):
    help = "Delete expired downloads and recover jobs of workers that died"

    def handle(self, *args, **options):
        recovered = worker.recover()
        deleted = exports.prune()
        self.stdout.write(f"{deleted} expired downloads deleted, {recovered} lost jobs recovered")
