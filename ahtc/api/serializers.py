from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.geography.models import Area


class AreaSerializer(serializers.ModelSerializer[Area]):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    predecessors: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Area
        fields = [
            "code",
            "level",
            "parent",
            "name_en",
            "name_ur",
            "valid_from",
            "valid_to",
            "predecessors",
            "population",
            "population_year",
        ]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "name_en", "name_ur", "area", "phone", "is_active"]


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "area"]


class MeSerializer(serializers.ModelSerializer[User]):
    organisation = OrganisationSerializer(read_only=True)
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["username", "display_name", "organisation", "roles"]
