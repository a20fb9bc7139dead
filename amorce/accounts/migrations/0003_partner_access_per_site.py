"""A partner's staff are given access site by site (roles.md, issue 26).

Before, a `partner` membership named no site and reached every referral sent to its
organisation, from any site whose directory linked it; a leader could link their partner
to another site's organisation and open that site's referred persons to an account of
their choosing. Each old membership becomes one membership per site it was granted for:

- the sites whose leader gave this account access ("Accès partenaire donné à EMAIL (…)"
  in the audit journal, kept one year): exactly those — a leader's grant was a grant for
  their own site;
- otherwise (an account the platform admin opened), every site whose directory links the
  organisation: what it saw until now, so no partner loses a referral.

A membership of an organisation that no site's directory links reached nothing and is
removed. Then every partner membership must name its site."""

from django.db import migrations, models
from django.db.models import Q

PARTNER = "partner"
GRANTED = "Accès partenaire donné à {email} ("


def per_site(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Partner = apps.get_model("partners", "Partner")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for membership in Membership.objects.filter(role=PARTNER, site__isnull=True).select_related(
        "user"
    ):
        linked = set(
            Partner.objects.filter(organisation_id=membership.organisation_id).values_list(
                "site_id", flat=True
            )
        )
        granted = set(
            AuditEntry.objects.filter(
                action="create",
                target__startswith=GRANTED.format(email=membership.user.email),
                site__isnull=False,
            ).values_list("site_id", flat=True)
        )
        sites = sorted((granted & linked) or linked)
        for site_id in sites:
            Membership.objects.get_or_create(
                user_id=membership.user_id,
                organisation_id=membership.organisation_id,
                role=PARTNER,
                site_id=site_id,
                defaults={"is_active": membership.is_active},
            )
        membership.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("audit", "0002_initial"),
        ("partners", "0002_partner_address_partner_communes_partner_email_and_more"),
    ]

    operations = [
        migrations.RunPython(per_site, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=Q(role="partner", site__isnull=False) | ~Q(role="partner"),
                name="partner_membership_has_site",
            ),
        ),
    ]
