"""Accounts made before e-mail verification existed get a verified e-mail address row.

They were made by signing up with the address, or by accepting an invitation e-mailed to
it, before sign-in moved to django-allauth (which asks for a verified address before a
password sign-in). We mark them verified rather than lock everyone out at the upgrade:
an organisation's lead could check them only by asking each person to click a link, and
the attack the check closes (signing up as someone else's address to take their
invitation) also needs the invitation's one-use token from now on. A deployment that
wants every existing person to prove their address can run, after migrating:
``manage.py shell -c "from allauth.account.models import EmailAddress;
EmailAddress.objects.update(verified=False)"`` (each person is then sent a link when they
next sign in).
"""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("assessments", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email, verified=True, primary=True)
            for user_id, email in User.objects.values_list("pk", "email").iterator()
            if user_id not in have
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0020_organisation_require_two_step"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
