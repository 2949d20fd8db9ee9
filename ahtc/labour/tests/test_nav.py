"""Each role that works with findings finds them in the navigation: the
analyst (counts) and the education authority (its children), not only officers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role

pytestmark = pytest.mark.django_db

LIST = 'href="/cell/labour/"'
SCHOOLING = 'href="/cell/labour/schooling/"'


def nav(client: Client) -> str:
    response = client.get(reverse("cell:home"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_officer_and_analyst_see_child_labour(
    login_as: Callable[[User], Client],
    officer_mbdin: User,
    make_user: Callable[..., User],
) -> None:
    assert LIST in nav(login_as(officer_mbdin))
    analyst = make_user("analyst_mbdin", Role.ANALYST, "PK620")
    html = nav(login_as(analyst))
    assert LIST in html
    assert SCHOOLING not in html


def test_the_school_sees_its_children_and_not_the_findings(
    login_as: Callable[[User], Client], school_mbdin: User
) -> None:
    html = nav(login_as(school_mbdin))
    assert SCHOOLING in html
    assert LIST not in html


def test_helpline_sees_neither(
    login_as: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    helpline = make_user("helpline_mbdin", Role.HELPLINE, "PK620")
    html = nav(login_as(helpline))
    assert LIST not in html
    assert SCHOOLING not in html


def test_the_schools_first_screen_shows_the_children_waiting(
    login_as: Callable[[User], Client], school_mbdin: User, referred: object
) -> None:
    page = login_as(school_mbdin).get(reverse("cell:home")).content.decode()
    assert "1 child waits for a school place" in page
    assert SCHOOLING in page
    assert "Synthetic" not in page  # no name on the Overview


def test_the_officers_first_screen_says_when_no_match_waits(
    login_as: Callable[[User], Client], officer_mbdin: User
) -> None:
    page = login_as(officer_mbdin).get(reverse("cell:home")).content.decode()
    assert "No match waits." in page
