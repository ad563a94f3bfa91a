"""The background tasks (django-tasks' ``@task``). Each takes the id of a row that says
what to do and records what happened; the work itself lives with its domain."""

from django_tasks import task


@task()
def deliver_email(email_id: int) -> None:
    from assessments import mail

    mail.deliver(email_id)


@task()
def build_export(export_id: str) -> None:
    from assessments.jobs import exports

    exports.build(export_id)


@task()
def send_reminder(reminder_id: int) -> None:
    from assessments.rounds import reminders

    reminders.reminder_send(reminder_id)
