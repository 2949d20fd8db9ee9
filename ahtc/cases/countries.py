"""Countries on the routes the cells see (ISO 3166-1 alpha-2), in both languages.

The list is short on purpose: a select an officer can scan. "Other" keeps
anything else recordable; add a country here when a new route appears.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COUNTRIES = [
    ("PK", _("Pakistan")),
    ("IR", _("Iran")),
    ("TR", _("Turkey")),
    ("GR", _("Greece")),
    ("IT", _("Italy")),
    ("LY", _("Libya")),
    ("AE", _("United Arab Emirates")),
    ("SA", _("Saudi Arabia")),
    ("OM", _("Oman")),
    ("QA", _("Qatar")),
    ("AZ", _("Azerbaijan")),
    ("AF", _("Afghanistan")),
    ("EG", _("Egypt")),
    ("ES", _("Spain")),
    ("DE", _("Germany")),
    ("FR", _("France")),
    ("GB", _("United Kingdom")),
    ("MY", _("Malaysia")),
    ("TH", _("Thailand")),
    ("CN", _("China")),
    ("BH", _("Bahrain")),
    ("KW", _("Kuwait")),
    ("RU", _("Russia")),
    ("BY", _("Belarus")),
    ("ZZ", _("other or not known")),
]
COUNTRY_NAMES = dict(COUNTRIES)
