"""Answer links keep only the hash of their token.

Existing links keep working: each token is replaced by its SHA-256 (as
``assessments.rounds.models.token_hash`` computes it), which is what a link's address is
checked against from now on, and the tokens themselves are dropped. Going back cannot bring
them back: it gives every link a new random token that nobody holds, so links made before
stop working (a lead makes fresh ones).
"""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Invite = apps.get_model("assessments", "Invite")
    invites = list(Invite.objects.only("pk", "token"))
    for invite in invites:
        # The same function as token_hash(); written out here so this step never changes.
        invite.token_hash = hashlib.sha256(invite.token.encode()).hexdigest()
    Invite.objects.bulk_update(invites, ["token_hash"], batch_size=500)


def new_tokens(apps, schema_editor):
    Invite = apps.get_model("assessments", "Invite")
    invites = list(Invite.objects.only("pk"))
    for invite in invites:
        invite.token = secrets.token_urlsafe(32)
    Invite.objects.bulk_update(invites, ["token"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0009_invitation_sent_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='invite',
            name='token_hash',
            field=models.CharField(default='', editable=False, max_length=64),
            preserve_default=False,
        ),
        # Not unique for a moment, so that going back can add the column to existing rows.
        migrations.AlterField(
            model_name='invite',
            name='token',
            field=models.CharField(default='', editable=False, max_length=64),
        ),
        migrations.RunPython(hash_tokens, new_tokens, elidable=False),
        migrations.AlterField(
            model_name='invite',
            name='token_hash',
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveField(
            model_name='invite',
            name='token',
        ),
    ]
