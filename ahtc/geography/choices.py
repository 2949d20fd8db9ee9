"""Area choices for forms: tehsils grouped under their district, so a tehsil
list can be narrowed to the chosen district (with or without JavaScript)."""

from __future__ import annotations

from ahtc.geography.models import Area, AreaLevel

Option = tuple[str, str]


def tehsils_by_district() -> dict[str, tuple[str, list[Option]]]:
    """Current tehsils by district code: {code: (district name, [(code, name)])},
    districts and tehsils in name order. Names follow the active language."""
    tehsils = (
        Area.objects.current()
        .of_level(AreaLevel.TEHSIL)
        .select_related("parent")
        .order_by("parent__name_en", "name_en")
    )
    groups: dict[str, tuple[str, list[Option]]] = {}
    for tehsil in tehsils:
        parent = tehsil.parent
        key, label = (parent.code, parent.name) if parent else ("", "")
        groups.setdefault(key, (label, []))[1].append((tehsil.code, tehsil.name))
    return groups


def tehsil_optgroups(
    groups: dict[str, tuple[str, list[Option]]], district_code: str | None = None
) -> list[tuple[str, list[Option]]]:
    """<optgroup>s for a Select: every district's tehsils under its name, or
    only the chosen district's when it is known (an unknown code keeps all)."""
    if district_code and district_code in groups:
        return [groups[district_code]]
    return list(groups.values())
