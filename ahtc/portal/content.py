"""Helplines and awareness pages: public reading, staff editing (scoped by area)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import areas_for_user, user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.portal.models import ContentPage, Helpline


def public_helplines(district: Area | None) -> QuerySet[Helpline]:
    """Province-wide numbers, plus the district's own when one is chosen."""
    wide = Q(area__level=AreaLevel.PROVINCE)
    if district is not None:
        wide |= Q(area=district)
    return Helpline.objects.filter(wide, is_active=True).select_related("area")


def public_pages(district: Area | None) -> QuerySet[ContentPage]:
    wide = Q(area__level=AreaLevel.PROVINCE)
    if district is not None:
        wide |= Q(area=district)
    return ContentPage.objects.filter(wide, published=True)


def editable_areas(user: Any) -> QuerySet[Area]:
    levels = [AreaLevel.PROVINCE, AreaLevel.DISTRICT]
    return areas_for_user(user, Perm.PUBLISH_CONTENT).current().filter(level__in=levels)


def pages_for_user(user: Any) -> QuerySet[ContentPage]:
    return ContentPage.objects.filter(user_scope(user).q(Perm.PUBLISH_CONTENT, "area__path"))


def helplines_for_user(user: Any) -> QuerySet[Helpline]:
    return Helpline.objects.filter(user_scope(user).q(Perm.PUBLISH_CONTENT, "area__path"))


def page_for_user(user: Any, pk: Any) -> ContentPage:
    return get_scoped_or_404(user=user, scoped=pages_for_user(user), pk=pk)


def helpline_for_user(user: Any, pk: Any) -> Helpline:
    return get_scoped_or_404(user=user, scoped=helplines_for_user(user), pk=pk)


class _AreaScopedForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = editable_areas(user).order_by("path")


class ContentPageForm(_AreaScopedForm):
    class Meta:
        model = ContentPage
        fields = ["kind", "area", "slug", "title_ur", "title_en", "body_ur", "body_en", "published"]
        widgets = {
            "title_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
            "body_ur": forms.Textarea(attrs={"dir": "rtl", "lang": "ur", "rows": 10}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "body_en": forms.Textarea(attrs={"dir": "ltr", "lang": "en", "rows": 10}),
            "slug": forms.TextInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "slug": _("Letters, digits and dashes, e.g. safe-migration. Used in the web address.")
        }


class HelplineForm(_AreaScopedForm):
    class Meta:
        model = Helpline
        fields = [
            "kind",
            "area",
            "name_ur",
            "name_en",
            "number",
            "note_ur",
            "note_en",
            "position",
            "is_active",
        ]
        widgets = {
            "name_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
            "note_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
            "number": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }


@transaction.atomic
def content_save(*, form: forms.ModelForm, by: Any) -> Any:  # type: ignore[type-arg]
    """Save a validated page or helpline form, recording who changed it."""
    obj = form.save(commit=False)
    created = obj.pk is None
    if isinstance(obj, ContentPage):
        obj.updated_by = by
    obj.save()
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    audit_record(actor=by, action=action, target=obj, area_code=obj.area.code)
    return obj
