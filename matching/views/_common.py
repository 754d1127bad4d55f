"""Helpers the matching pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from mentorship.http import AppRequest


def _messages_of(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _back(request: AppRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
