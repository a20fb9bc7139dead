"""Record an access to personal data. Every view, change and export of a person's file,
and every report download, goes through `record`."""

from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from amorce.audit.models import AuditEntry

ROW = "<tr>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>\n"


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (or use a trusted middleware):
    # a client-sent X-Forwarded-For must not be able to forge the journal.
    return request.META.get("REMOTE_ADDR") or None


def record(request, action: str, target: str, *, person=None, site=None) -> AuditEntry:
    membership = getattr(request, "membership", None)
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=f"{user.get_full_name()} <{user.email}>".strip() if user else "anonyme",
        role=membership.role if membership else "",
        site=site or (person.site if person is not None else None),
        person=person,
        action=action,
        target=target[:300],
        ip_address=client_ip(request),
    )


def record_outside_request(
    action: str, target: str, *, actor=None, actor_label: str = "", site=None, person=None
) -> AuditEntry:
    """The same entry for work done without a request: a command, a background task."""
    if actor is not None and not actor_label:
        actor_label = f"{actor.get_full_name()} <{actor.email}>".strip()
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label or "Amorce",
        site=site or (person.site if person is not None else None),
        person=person,
        action=action,
        target=target[:300],
    )


def entries_html(entries) -> SafeString:
    """The rows of a journal's table (`people/_audit_table.html`), written in Python with
    `html.escape` (what the template's autoescape does): the template's filters on ten rows
    cost the person's page a millisecond (`benchmarks/`)."""
    return mark_safe(
        "".join(
            ROW.format(
                *(
                    escape(str(cell))
                    for cell in (
                        timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M"),
                        entry.actor_label,
                        entry.get_action_display(),
                        entry.target,
                        entry.ip_address or "—",
                    )
                )
            )
            for entry in entries
        )
    )
