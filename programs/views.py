from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest


@require_GET
@login_required
def portal_home(request: AppRequest):
    return render(request, "programs/portal_home.html")


@require_GET
@coordinator_required
def manage_home(request: AppRequest):
    return render(request, "programs/manage_home.html")
