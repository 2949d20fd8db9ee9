# Issue 10: "linked to a case" needs the case (or the review flag that 0009 set
# on older rows), held by the database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_tip_reply_waiting"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tip",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "linked"), _negated=True),
                    ("case__isnull", False),
                    ("link_review", True),
                    _connector="OR",
                ),
                name="portal_tip_linked_has_case",
            ),
        ),
    ]
