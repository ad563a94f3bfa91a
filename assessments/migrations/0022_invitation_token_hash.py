"""Invitations carry a one-use token in their link, and the database keeps only its hash.

Colleague invitations already had a token in their link, stored in the clear: it is hashed
here, so links already e-mailed keep working. Cohort invitations had none (the link named
the invitation's number, and the addressee's e-mail address was enough to accept it): each
gets a token nobody knows, so a pending one needs "Resend" from its facilitator, which
e-mails a link with a fresh token.
"""

import hashlib
import secrets

from django.db import migrations, models


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_colleague_tokens(apps, schema_editor):
    ColleagueInvite = apps.get_model("assessments", "ColleagueInvite")
    for invite in ColleagueInvite.objects.only("pk", "token").iterator():
        ColleagueInvite.objects.filter(pk=invite.pk).update(token_hash=_hash(invite.token))


def unknown_cohort_tokens(apps, schema_editor):
    CohortInvitation = apps.get_model("assessments", "CohortInvitation")
    for pk in CohortInvitation.objects.values_list("pk", flat=True).iterator():
        CohortInvitation.objects.filter(pk=pk).update(
            token_hash=_hash(secrets.token_urlsafe(32))
        )


def new_colleague_tokens(apps, schema_editor):
    # Going back: the hashes cannot be undone, so pending invitations need Resend.
    ColleagueInvite = apps.get_model("assessments", "ColleagueInvite")
    for pk in ColleagueInvite.objects.values_list("pk", flat=True).iterator():
        ColleagueInvite.objects.filter(pk=pk).update(token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0021_verified_email_addresses")]

    operations = [
        migrations.AddField(
            model_name="colleagueinvite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="cohortinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_colleague_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(unknown_cohort_tokens, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="colleagueinvite",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, new_colleague_tokens, elidable=False),
        migrations.RemoveField(model_name="colleagueinvite", name="token"),
        migrations.AlterField(
            model_name="colleagueinvite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="cohortinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
