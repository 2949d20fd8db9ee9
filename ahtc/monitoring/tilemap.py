"""A tile map of Punjab's districts: one square per district, placed on a
fixed grid that keeps each district near its neighbours (north at the top,
west at the left). No boundary file and no tile server are needed.

Districts missing from the grid (a new district the operator added) are laid
out in an extra row at the bottom, so nothing is ever left off the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from ahtc.geography.models import Area
from ahtc.monitoring.compute import AreaValue

# (column, row) by district code: 8 columns, 8 rows.
GRID: dict[str, tuple[int, int]] = {
    "PK601": (3, 0), "PK630": (4, 0), "PK638": (5, 0),  # Attock, Rawalpindi, Murree
    "PK621": (1, 1), "PK639": (2, 1), "PK605": (3, 1),  # Mianwali, Talagang, Chakwal
    "PK613": (4, 1), "PK610": (5, 1), "PK634": (6, 1),  # Jhelum, Gujrat, Sialkot
    "PK604": (1, 2), "PK616": (2, 2), "PK632": (3, 2),  # Bhakkar, Khushab, Sargodha
    "PK620": (4, 2), "PK637": (5, 2), "PK625": (6, 2),  # Mandi Bahauddin, Wazirabad, Narowal
    "PK618": (1, 3), "PK612": (2, 3), "PK606": (3, 3),  # Layyah, Jhang, Chiniot
    "PK611": (4, 3), "PK609": (5, 3),  # Hafizabad, Gujranwala
    "PK641": (0, 4), "PK640": (1, 4), "PK635": (2, 4),  # Taunsa, Kot Addu, Toba Tek Singh
    "PK608": (3, 4), "PK624": (4, 4), "PK633": (5, 4),  # Faisalabad, Nankana Sahib, Sheikhupura
    "PK617": (6, 4),  # Lahore
    "PK607": (0, 5), "PK623": (1, 5), "PK615": (2, 5),  # Dera Ghazi Khan, Muzaffargarh, Khanewal
    "PK631": (3, 5), "PK626": (4, 5), "PK614": (5, 5),  # Sahiwal, Okara, Kasur
    "PK629": (0, 6), "PK622": (1, 6), "PK619": (2, 6),  # Rajanpur, Multan, Lodhran
    "PK636": (3, 6), "PK627": (4, 6),  # Vehari, Pakpattan
    "PK628": (1, 7), "PK603": (2, 7), "PK602": (3, 7),  # Rahim Yar Khan, Bahawalpur, Bahawalnagar
}  # fmt: skip
COLUMNS = 8
BANDS = 4  # value bands shown by a filled-dot count as well as a shade


@dataclass(frozen=True)
class Tile:
    area: Area
    column: int
    row: int
    value: AreaValue | None
    band: int  # 0 (no value) to BANDS

    @property
    def dots(self) -> str:
        """The band in symbols, so the map reads without colour."""
        return "●" * self.band + "○" * (BANDS - self.band) if self.band else "–"


def _band(number: float | None, top: float) -> int:
    if number is None:
        return 0
    if top <= 0:
        return 1
    return min(BANDS, 1 + int(BANDS * number / top - 1e-9)) if number > 0 else 1


def tiles(values: list[AreaValue]) -> tuple[list[Tile], int]:
    """Tiles with grid positions and bands, and the number of rows used."""
    numbers = [v.value.value for v in values if v.value.value is not None]
    top = max(numbers, default=0)
    placed: list[Tile] = []
    extra = 0
    last_row = max(r for _c, r in GRID.values())
    for item in values:
        spot = GRID.get(item.area.code)
        if spot is None:
            spot = (extra % COLUMNS, last_row + 1 + extra // COLUMNS)
            extra += 1
        placed.append(Tile(item.area, spot[0], spot[1], item, _band(item.value.value, top)))
    rows = max((t.row for t in placed), default=0) + 1
    return placed, rows


def band_limits(values: list[AreaValue]) -> list[tuple[str, float, float]]:
    """The legend: (dots, from, to) in the indicator's own unit."""
    top = max((v.value.value for v in values if v.value.value is not None), default=0)
    step = top / BANDS if top else 0
    return [
        ("●" * b + "○" * (BANDS - b), round(step * (b - 1), 2), round(step * b, 2))
        for b in range(1, BANDS + 1)
    ]
