import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.loadgen import generate_load


class Command(BaseCommand):
    help = (
        "Create synthetic organisations ('Load test org 0001', …), each with one closed "
        "round answered by people of mixed perspectives, for benchmarks. Seeded: the same "
        "arguments give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True, help="organisations to make")
        parser.add_argument(
            "--respondents", type=int, default=20, help="people answering each round (20)"
        )
        parser.add_argument("--framework", default="cahn", help="framework slug (cahn)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument("--cohort", default="", help="put them all in a cohort of this name")
        parser.add_argument(
            "--facilitator", default="", help="e-mail address of the cohort's facilitator"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even with DEBUG off (a benchmark database, never a live site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a live site: synthetic organisations do "
                "not belong there. Run with --force on a benchmark database."
            )
        if options["orgs"] < 1 or options["respondents"] < 1:
            raise CommandError("--orgs and --respondents must be at least 1.")
        started = time.perf_counter()
        try:
            made = generate_load(
                orgs=options["orgs"],
                respondents=options["respondents"],
                framework_slug=options["framework"],
                seed=options["seed"],
                cohort=options["cohort"],
                facilitator=options["facilitator"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(made.organisations)} organisations, {made.rounds} closed "
                f"rounds, {made.respondents} respondents and {made.answers} answers "
                f"in {seconds:.1f} s."
                + (f" Cohort {made.cohort.name!r} (id {made.cohort.pk})." if made.cohort else "")
            )
        )
