"""Case references: PREFIX-YEAR-NUMBER, e.g. MBD-2025-0042.

Prefixes are the short district names officers already write on files. A
district without one (a new district) falls back to its area code, so a
reference can always be made; add its prefix here when it is notified.
"""

from __future__ import annotations

CASE_PREFIXES: dict[str, str] = {
    "PK601": "ATK",  # Attock
    "PK602": "BWN",  # Bahawalnagar
    "PK603": "BWP",  # Bahawalpur
    "PK604": "BKR",  # Bhakkar
    "PK605": "CKL",  # Chakwal
    "PK606": "CNT",  # Chiniot
    "PK607": "DGK",  # Dera Ghazi Khan
    "PK608": "FSD",  # Faisalabad
    "PK609": "GRW",  # Gujranwala
    "PK610": "GRT",  # Gujrat
    "PK611": "HFD",  # Hafizabad
    "PK612": "JHG",  # Jhang
    "PK613": "JLM",  # Jhelum
    "PK614": "KSR",  # Kasur
    "PK615": "KWL",  # Khanewal
    "PK616": "KSB",  # Khushab
    "PK617": "LHR",  # Lahore
    "PK618": "LYH",  # Layyah
    "PK619": "LDN",  # Lodhran
    "PK620": "MBD",  # Mandi Bahauddin
    "PK621": "MWI",  # Mianwali
    "PK622": "MUL",  # Multan
    "PK623": "MZG",  # Muzaffargarh
    "PK624": "NNS",  # Nankana Sahib
    "PK625": "NRW",  # Narowal
    "PK626": "OKR",  # Okara
    "PK627": "PPN",  # Pakpattan
    "PK628": "RYK",  # Rahim Yar Khan
    "PK629": "RJP",  # Rajanpur
    "PK630": "RWP",  # Rawalpindi
    "PK631": "SWL",  # Sahiwal
    "PK632": "SGD",  # Sargodha
    "PK633": "SKP",  # Sheikhupura
    "PK634": "SKT",  # Sialkot
    "PK635": "TTS",  # Toba Tek Singh
    "PK636": "VHR",  # Vehari
    "PK637": "WZD",  # Wazirabad
    "PK638": "MRE",  # Murree
    "PK639": "TLG",  # Talagang
    "PK640": "KTA",  # Kot Addu
    "PK641": "TNS",  # Taunsa
}


def case_reference(district_code: str, year: int, number: int) -> str:
    prefix = CASE_PREFIXES.get(district_code, district_code)
    return f"{prefix}-{year}-{number:04d}"
