"""The background tasks now live with the work they do (the outbox, reminders, exports).
Tasks already waiting in the queue (a reminder set for next week) name the old place:
point them at the new one, so none is lost to the move."""

from django.db import migrations

MOVED = {
    "assessments.jobs.tasks.deliver_email": "assessments.mail.deliver_email",
    "assessments.jobs.tasks.send_reminder": "assessments.rounds.reminders.send_reminder",
    "assessments.jobs.tasks.build_export": "assessments.jobs.exports.build_export",
}


def forwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult").objects
    for old, new in MOVED.items():
        results.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult").objects
    for old, new in MOVED.items():
        results.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0027_export_one_being_made"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
