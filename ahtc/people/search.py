"""Finding people by name without reading every name (issue 19).

Names are encrypted, so the database cannot compare them. Each person keeps
keyed hashes (HMAC with the site key) of the prefixes of each normalised word
of their names and aliases (`NameToken`); a search hashes the words typed and
asks the database for people holding all of them, through an index. So
"bilal" finds "Muhammad Bilal" and "Bilal Ahmad" among a province's people in
one query, and "muh bil" finds "Muhammad Bilal". Words match from their start
(3 to 12 letters); Latin and Urdu are normalised (case, accents, the Arabic
and Urdu forms of the same letter) but spelling variants and transliteration
are the people issue's entity resolution, not this.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from ahtc.core.hashing import keyed_hex
from ahtc.people.models import NameToken, Person

MIN_LETTERS = 3
MAX_LETTERS = 12
BATCH = 2000
# Arabic code points that Urdu writes with its own letter.
LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ة": "ہ", "ۃ": "ہ", "أ": "ا", "إ": "ا", "آ": "ا"}
)
WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Normalised words of a name: NFKC, case-folded, accents and Urdu
    diacritics (zer, zabar, pesh ...) dropped, letter forms unified."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(LETTERS)
    return [w for w in WORD.findall(text) if not w.isdigit()]


def _hash(prefix: str) -> str:
    return keyed_hex(key=settings.SECRET_KEY, purpose="name-token", value=prefix)


def person_hashes(names: Iterable[str]) -> set[str]:
    hashes: set[str] = set()
    for name in names:
        for word in words(name):
            for end in range(MIN_LETTERS, min(len(word), MAX_LETTERS) + 1):
                hashes.add(_hash(word[:end]))
    return hashes


def query_hashes(query: str) -> list[str]:
    """One hash per word typed that is long enough to search by."""
    return [_hash(w[:MAX_LETTERS]) for w in words(query) if len(w) >= MIN_LETTERS]


def people_named(query: str, within: QuerySet[Person]) -> QuerySet[Person]:
    """People of `within` whose names hold every word typed (from its start)."""
    hashes = query_hashes(query)
    if not hashes:
        return within.none()
    for token in hashes:
        within = within.filter(pk__in=NameToken.objects.filter(token_hash=token).values("person"))
    return within


def _names(person: Person) -> list[str]:
    return [person.name_latin, person.name_urdu, *(a.name for a in person.aliases.all())]


@transaction.atomic
def name_tokens_refresh(person: Person) -> None:
    """Recompute one person's tokens (after their names or aliases change)."""
    NameToken.objects.filter(person=person).delete()
    NameToken.objects.bulk_create(
        NameToken(person=person, token_hash=h) for h in person_hashes(_names(person))
    )


def name_tokens_index(people: QuerySet[Person]) -> int:
    """(Re)build the tokens of many people, in batches; returns how many people."""
    done = 0
    ids = list(people.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            NameToken.objects.filter(person_id__in=batch).delete()
            rows = [
                NameToken(person_id=p.pk, token_hash=h)
                for p in Person.objects.filter(pk__in=batch).prefetch_related("aliases")
                for h in person_hashes(_names(p))
            ]
            NameToken.objects.bulk_create(rows, batch_size=5000)
        done += len(batch)
    return done
