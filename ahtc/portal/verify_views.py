"""Public verification of agents (issue 14): GET /agencies/verify/?q=.

Urdu first like every portal page, no JavaScript, one small page. The answer
comes from agencies.verify, which returns public facts only. Each sender has
its own budget per minute (agencies/throttle.py): a scraper runs out, the
public does not. What was typed is never stored or logged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ahtc.agencies.throttle import verify_allowed
from ahtc.agencies.verify import MAX_QUERY, verify


@never_cache
def verify_agent(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context: dict[str, object] = {"q": query, "searched": bool(query), "results": []}
    if not query:
        return render(request, "portal/verify.html", context)
    if not verify_allowed(request):
        context.update(searched=False, busy=True)
        return render(request, "portal/verify.html", context, status=429)
    context["results"] = verify(query)
    return render(request, "portal/verify.html", context)
