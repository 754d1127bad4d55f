"""A program's resource library, managed from the dashboard: links and uploaded
documents, per program and role, in the coordinator's order.

Who may open a resource stays as the portal had it (``selectors.resource_get_for_user``):
the program's coordinators and HR admins, and its approved people — now only those
whose role the resource is for. Reads for the library page first, then the writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404

from mentorship.accounts.models import User
from programs.models import AudienceRole, Program, Resource
from programs.selectors import program_get_for_coordinator
from programs.services._common import require_manager

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".docx",
        ".doc",
        ".pptx",
        ".xlsx",
        ".odt",
        ".txt",
        ".md",
        ".png",
        ".jpg",
        ".jpeg",
    }
)

# --- Reads ------------------------------------------------------------------------------


def resource_list_for_coordinator(*, program: Program) -> list[Resource]:
    """The program's library in its order: 1 query."""
    return list(
        Resource.objects.filter(program=program).order_by("order", "title", "id")
    )


def resource_get_for_coordinator(
    *, user: User, program_id: int, resource_id: int
) -> Resource:
    """One resource of a program the viewer manages, with its program; 404 for
    another program's, or a program the viewer doesn't manage (the same 404)."""
    program = program_get_for_coordinator(user=user, program_id=program_id)
    resource = Resource.objects.filter(program=program, pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource.")
    resource.program = program
    return resource


# --- Writes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceData:
    title: str
    url: str = ""
    description: str = ""
    for_role: str = AudienceRole.BOTH
    document: UploadedFile[Any] | None = None
    remove_document: bool = False


def _document_check(document: UploadedFile[Any]) -> None:
    if document.size is not None and document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": "Upload a file of 10 MB or less."})
    if PurePath(document.name or "").suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "document": "Upload a PDF, Word, PowerPoint, Excel, OpenDocument, "
                "text or image file."
            }
        )


def _delete_file_on_commit(resource: Resource) -> None:
    """The old file goes once the change is committed (a rollback keeps it)."""
    storage, name = resource.document.storage, resource.document.name
    transaction.on_commit(lambda: storage.delete(name))  # type: ignore[arg-type]


@transaction.atomic
def resource_save(
    *, program: Program, by: User, data: ResourceData, resource: Resource | None = None
) -> Resource:
    """Add a resource at the end of the library, or change one; a resource needs a
    link or a document. Raises ValidationError by field."""
    require_manager(program=program, by=by)
    if resource is not None and resource.program_id != program.pk:
        raise Http404("No such resource.")
    if data.for_role not in AudienceRole.values:
        raise ValidationError({"for_role": "Choose who the resource is for."})
    if data.document is not None:
        _document_check(data.document)
    keeps_document = (
        resource is not None and bool(resource.document) and not data.remove_document
    )
    if not data.url and data.document is None and not keeps_document:
        raise ValidationError({"url": "Give a link or upload a document."})
    if resource is None:
        last = Resource.objects.filter(program=program).aggregate(last=Max("order"))
        resource = Resource(
            program=program,
            order=0 if last["last"] is None else min(last["last"] + 1, 32_000),
        )
    elif (data.remove_document or data.document is not None) and resource.document:
        _delete_file_on_commit(resource)
        resource.document = None
    resource.title = data.title
    resource.url = data.url
    resource.description = data.description
    resource.for_role = data.for_role
    if data.document is not None:
        resource.document = data.document
    resource.full_clean(exclude=["document"])
    resource.save()
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by: User) -> None:
    """Remove a resource and its uploaded file from the library."""
    require_manager(program=resource.program, by=by)
    if resource.document:
        _delete_file_on_commit(resource)
    resource.delete()


@transaction.atomic
def resource_move(*, resource: Resource, by: User, direction: str) -> None:
    """Move a resource one place up or down; the library is renumbered 0..n-1."""
    require_manager(program=resource.program, by=by)
    if direction not in ("up", "down"):
        raise ValidationError("Move up or down.")
    library = list(
        Resource.objects.select_for_update()
        .filter(program_id=resource.program_id)
        .order_by("order", "title", "id")
    )
    index = next(i for i, item in enumerate(library) if item.pk == resource.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(library):
        library[index], library[other] = library[other], library[index]
    for position, item in enumerate(library):
        item.order = position
    Resource.objects.bulk_update(library, ["order"])
