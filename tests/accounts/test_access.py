"""Each role reaches only its pages; objects of another site answer 404, URL by URL."""

import pytest
from django.urls import reverse

ROLES = ["leader", "partner", "funder", "network", "admin_user"]

# url name, args, {role: expected status}
MATRIX = [
    ("core:home", [], dict.fromkeys(ROLES, 200)),
    (
        "referrals:board",
        [],
        {"leader": 200, "partner": 403, "funder": 403, "network": 403, "admin_user": 403},
    ),
    (
        "referrals:inbox",
        [],
        {"leader": 403, "partner": 200, "funder": 403, "network": 403, "admin_user": 403},
    ),
    (
        "sites:list",
        [],
        {"leader": 403, "partner": 403, "funder": 200, "network": 200, "admin_user": 200},
    ),
    (
        "sites:create",
        [],
        {"leader": 403, "partner": 403, "funder": 403, "network": 403, "admin_user": 200},
    ),
    (
        "sites:detail",
        ["carcassonne"],
        {"leader": 200, "partner": 403, "funder": 200, "network": 200, "admin_user": 200},
    ),
    (
        "sites:edit",
        ["carcassonne"],
        {"leader": 403, "partner": 403, "funder": 403, "network": 403, "admin_user": 200},
    ),
    (
        "accounts:users",
        [],
        {"leader": 403, "partner": 403, "funder": 403, "network": 403, "admin_user": 200},
    ),
    (
        "accounts:user_create",
        [],
        {"leader": 403, "partner": 403, "funder": 403, "network": 403, "admin_user": 200},
    ),
    (
        "core:reference",
        [],
        {"leader": 403, "partner": 403, "funder": 403, "network": 403, "admin_user": 200},
    ),
]

CASES = [
    (name, args, role, status)
    for name, args, expected in MATRIX
    for role, status in expected.items()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "role", "status"), CASES)
def test_each_role_reaches_only_its_pages(request, as_user, site, name, args, role, status):
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse(name, args=args)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sites:detail"])
def test_a_leader_gets_404_for_another_site(as_user, outsider, site, name):
    client = as_user(outsider)
    assert client.get(reverse(name, args=[site.slug])).status_code == 404


@pytest.mark.django_db
def test_a_funder_gets_404_for_a_site_it_does_not_fund(as_user, funder, other_site):
    client = as_user(funder)
    assert client.get(reverse("sites:detail", args=[other_site.slug])).status_code == 404
    assert other_site.name not in client.get(reverse("sites:list")).content.decode()


@pytest.mark.django_db
def test_an_unknown_site_is_404_for_everyone(as_user, admin_user):
    client = as_user(admin_user)
    assert client.get(reverse("sites:detail", args=["nowhere"])).status_code == 404
    assert client.get(reverse("sites:edit", args=["nowhere"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            "leader",
            ["Tableau de bord"],
            ["Utilisateurs", "Données de référence", "Sites du réseau"],
        ),
        (
            "partner",
            ["Orientations reçues"],
            ["Utilisateurs", "Sites financés", "Tableau de bord", "Personnes"],
        ),
        ("funder", ["Sites financés"], ["Utilisateurs", "Sites du réseau", "Tableau de bord"]),
        ("network", ["Sites du réseau"], ["Utilisateurs", "Sites financés"]),
        (
            "admin_user",
            ["Utilisateurs", "Données de référence"],
            ["Sites financés", "Tableau de bord"],
        ),
    ],
)
def test_navigation_shows_only_the_roles_pages(request, as_user, site, role, shown, hidden):
    client = as_user(request.getfixturevalue(role))
    page = client.get(reverse("core:home"), follow=True).content.decode()
    nav = page.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav


@pytest.mark.django_db
def test_refusals_are_explained_in_french(as_user, partner, site):
    client = as_user(partner)
    assert "Accès refusé" in client.get(reverse("sites:list")).content.decode()
    assert "Page introuvable" in client.get("/nulle-part/").content.decode()


def test_the_current_section_is_the_longest_matching_entry():
    from amorce.accounts.context_processors import current_section

    urls = ["/", "/personnes/", "/personnes/nouvelle/"]
    assert current_section("/", urls) == "/"
    assert current_section("/personnes/12/", urls) == "/personnes/"
    assert current_section("/personnes/nouvelle/", urls) == "/personnes/nouvelle/"
    assert current_section("/sites/x/", urls) is None
