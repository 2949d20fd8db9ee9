"""Name search by keyed hashes of name tokens (issue 19): every match in the
whole province, in one query, never reading a name in the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ahtc.accounts.models import User
from ahtc.cases.tests.conftest import make_person, mbdin  # noqa: F401
from ahtc.geography.models import Area
from ahtc.people.models import NameToken, Person
from ahtc.people.search import name_tokens_index, people_named, words
from ahtc.people.services import person_alias_add, person_alias_remove, person_update

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]


def found(query: str) -> set[str]:
    return {p.name_latin or p.name_urdu for p in people_named(query, Person.objects.all())}


def test_words_are_normalised_across_scripts_and_forms() -> None:
    assert words("MUHAMMAD  Bilāl") == ["muhammad", "bilal"]
    # Arabic yeh and kaf are the Urdu letters; zabar and zer are dropped.
    assert words("علي كريم") == words("علی کریم")
    assert words("مُحَمَّد") == words("محمد")
    assert words("0300 1234567 Ali") == ["ali"]


def test_a_word_matches_from_its_start_in_either_script(make_person: MakePerson) -> None:  # noqa: F811
    make_person("Muhammad Bilal")
    make_person("Bilal Ahmad")
    make_person("Bilqees Bibi")
    make_person("", name_urdu="محمد بلال")
    assert found("bilal") == {"Muhammad Bilal", "Bilal Ahmad"}
    assert found("BIL") == {"Muhammad Bilal", "Bilal Ahmad", "Bilqees Bibi"}
    assert found("muh bil") == {"Muhammad Bilal"}
    assert found("ilal") == set()  # from the start of a word only
    assert found("بلال") == {"محمد بلال"}
    assert found("bi") == set()  # too short to search by


def test_names_are_not_stored_in_the_tokens(make_person: MakePerson) -> None:  # noqa: F811
    make_person("Zarmeena Synthetic")
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_hash FROM people_nametoken")
        dump = repr(cursor.fetchall())
    assert "zarm" not in dump.casefold()
    assert NameToken.objects.count() > 5


def test_edits_and_aliases_keep_the_tokens_current(
    make_person: MakePerson,  # noqa: F811
    officer_mbdin: User,
) -> None:
    person = make_person("Synthetic Original")
    person_update(person=person, by=officer_mbdin, changes={"name_latin": "Synthetic Renamed"})
    assert found("original") == set()
    assert found("renamed") == {"Synthetic Renamed"}
    alias = person_alias_add(person=person, name="Kala Pehlwan", by=officer_mbdin)
    assert alias is not None
    assert found("pehlwan") == {"Synthetic Renamed"}
    person_alias_remove(alias=alias, by=officer_mbdin)
    assert found("pehlwan") == set()


def test_every_match_in_a_large_registry_in_one_query(mbdin: Area) -> None:  # noqa: F811
    """The old search read only the newest 5,000 people: the oldest match was lost."""
    people = [Person(source_district=mbdin, name_latin="Bilal Oldest")]
    people += [Person(source_district=mbdin, name_latin=f"Synthetic {n}") for n in range(5100)]
    people += [Person(source_district=mbdin, name_latin="Bilal Newest")]
    Person.objects.bulk_create(people, batch_size=1000)
    name_tokens_index(Person.objects.all())
    within = Person.objects.filter(source_district=mbdin)
    with CaptureQueriesContext(connection) as ctx:
        names = {p.name_latin for p in people_named("bilal", within)}
    assert names == {"Bilal Oldest", "Bilal Newest"}
    assert len(ctx.captured_queries) == 1


def test_reindex_command_rebuilds_tokens_of_bulk_loaded_people(mbdin: Area) -> None:  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    Person.objects.bulk_create([Person(source_district=mbdin, name_latin="Bulk Loaded")])
    assert found("bulk") == set()
    out = StringIO()
    call_command("people", "reindex", stdout=out)
    assert found("bulk") == {"Bulk Loaded"}
    assert "1 people indexed" in out.getvalue()


def test_identities_of_many_people_cost_one_query_per_step(mbdin: Area) -> None:  # noqa: F811
    """The party search asks for the linked records of everyone it found at once
    (not one person at a time: that was 26 queries per search)."""
    from ahtc.people.matches import identities_of

    people = Person.objects.bulk_create(
        [Person(source_district=mbdin, name_latin=f"Synthetic {n}") for n in range(20)]
    )
    ids = {p.pk for p in people}
    with CaptureQueriesContext(connection) as ctx:
        assert identities_of(ids) == ids  # nobody linked: themselves
    assert len(ctx.captured_queries) == 1
