"""Write a round's PDF report (or its action plan alone) to a file, for batch use:

python manage.py render_report 12 -o riverside-autumn.pdf
python manage.py render_report 12 --action-plan -o plan.pdf
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.documents import pdf
from assessments.rounds.models import Round


class Command(BaseCommand):
    help = "Write the PDF report of a round (by its number) to a file."

    def add_arguments(self, parser):
        parser.add_argument("round", type=int, help="The round's number, as in /rounds/<n>/.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--action-plan", action="store_true", help="Write the action plan on its own."
        )

    def handle(self, *args, round, output, action_plan, **options):
        found = Round.objects.select_related("organisation", "framework").filter(pk=round).first()
        if found is None:
            raise CommandError(f"There is no round {round}.")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        data = pdf.action_plan_pdf(found) if action_plan else pdf.round_report_pdf(found)
        target.write_bytes(data)
        what = "Action plan" if action_plan else "Report"
        self.stdout.write(
            f"{what} of {found.organisation.name}: {found.title} written to {target} "
            f"({len(data) // 1024} KB)."
        )
