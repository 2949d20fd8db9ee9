from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.api.models import FULL_ACCESS, ApiScope, ApiToken
from ahtc.geography.models import Area


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`, nothing else: where "no" cannot be undone (a
    referral turned down), "0", "off" or a missing form field must not mean it."""

    default_error_messages = {"invalid": _("Must be true or false (a JSON boolean).")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    """A JSON string, nothing else. DRF's CharField turns `0` into "0", so a
    client that sends the wrong type gets an answer instead of a 400, and the
    published schema (type string) would not be what the API takes."""

    default_error_messages = {"invalid": _("Must be a string.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


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
    scopes: Any = serializers.SerializerMethodField(
        help_text="What the token used may do (docs/api.md); a signed-in session: read and write."
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "organisation", "roles", "scopes"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ApiScope.choices)))
    def get_scopes(self, user: User) -> list[str]:
        request = self.context.get("request")
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            return token.scope_list
        return [str(scope) for scope in FULL_ACCESS]
