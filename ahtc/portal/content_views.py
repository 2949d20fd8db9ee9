from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.geography.models import Area, AreaLevel
from ahtc.portal.content import (
    ContentPageForm,
    HelplineForm,
    content_save,
    helpline_for_user,
    helplines_for_user,
    page_for_user,
    pages_for_user,
    public_helplines,
    public_pages,
)
from ahtc.portal.forms import district_choices
from ahtc.portal.models import ContentPage


def help_index(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("district", "")
    district = Area.objects.current().filter(code=code, level=AreaLevel.DISTRICT).first()
    context = {
        "district": district,
        "districts": district_choices()[1:],
        "helplines": public_helplines(district),
        "pages": public_pages(district),
    }
    return render(request, "portal/help.html", context)


def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = ContentPage.objects.filter(slug=slug, published=True).first()
    if page is None:
        raise Http404
    return render(request, "portal/help_page.html", {"page": page})


@staff_view(Perm.PUBLISH_CONTENT)
def content_list(request: HttpRequest) -> HttpResponse:
    context = {
        "pages": pages_for_user(request.user).select_related("area", "updated_by"),
        "helplines": helplines_for_user(request.user).select_related("area"),
    }
    return render(request, "portal/staff/content_list.html", context)


def _edit(request: HttpRequest, form_class: Any, instance: Any, title: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        content_save(form=form, by=request.user)
        messages.success(request, _("Saved. The public pages show it at once."))
        return redirect("cell:content")
    return render(request, "portal/staff/content_edit.html", {"form": form, "title": title})


@staff_view(Perm.PUBLISH_CONTENT)
def page_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = page_for_user(request.user, pk) if pk else None
    return _edit(request, ContentPageForm, instance, _("Awareness page"))


@staff_view(Perm.PUBLISH_CONTENT)
def helpline_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = helpline_for_user(request.user, pk) if pk else None
    return _edit(request, HelplineForm, instance, _("Helpline"))
