"""Chain the audit log: existing events (in the order they were written) become the first
links of this node's chain, then every new one continues it."""

from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from nidaan.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    NodeState = apps.get_model("core", "NodeState")
    state = NodeState.objects.first()
    if state is None:
        if not AuditEvent.objects.exists():
            return
        from nidaan.core import node

        node_id = node.identity().node_id
    else:
        node_id = state.node_id
    previous, seq = "", 0
    for event in AuditEvent.objects.order_by("id").iterator():
        seq += 1
        event.node_id, event.seq, event.prev_hash = node_id, seq, previous
        event.hash = chain.event_hash(chain.values_of(event))
        event.save(update_fields=["node_id", "seq", "prev_hash", "hash"])
        previous = event.hash
    if seq:
        AuditHead.objects.create(node_id=node_id, seq=seq, hash=previous, local=True)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("node_id", models.UUIDField(primary_key=True, serialize=False)),
                ("seq", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("local", models.BooleanField(default=False)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("local", True)),
                        fields=("local",),
                        name="audit_one_local_head",
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("view", "Viewed"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("token_create", "Made an API token"),
                    ("print", "Printed"),
                    ("export", "Exported"),
                    ("denied", "Refused access"),
                    ("emergency", "Emergency access"),
                    ("session_end", "Ended sessions"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="node_id",
            field=models.UUIDField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="node_id",
            field=models.UUIDField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("node_id", "seq"), name="audit_node_seq_unique"
            ),
        ),
    ]
