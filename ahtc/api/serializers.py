from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.geography.models import Area


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`, nothing else: where "no" cannot be undone (a
    referral turned down), "0", "off" or a missing form field must not mean it."""

    default_error_messages = {"invalid": _("Must be true or false (a JSON boolean).")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class AreaSerializer(serializers.ModelSerializer[Area]):
    # null for the province, the root of the tree
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
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
