"""Checks on uploaded documents, run before anything is stored.

Council decisions are published to other municipalities, the region and (actief openbaar) the
public, so an upload must be a plain PDF: a real one, readable without a password, without
scripts, within the size limit. The stored name is never the user's (see
``decision_document_path``); a suspicious name is refused anyway, as a sign of a crafted request.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _

from portal.exceptions import PortalError

# pypdf costs half a second to import: loaded when a file is checked, not when a worker or command starts.
if TYPE_CHECKING:
    from pypdf import PdfReader

PDF_MAGIC = b"%PDF-"

# /JS and /JavaScript hold or name JavaScript (also inside /OpenAction and /AA actions); /XFA
# forms carry scripts of their own. pypdf decodes #xx escapes in names, so /J#53 is /JS here.
SCRIPT_NAMES = frozenset({"/JS", "/JavaScript", "/XFA"})
# The same names in the raw bytes, ended by a PDF delimiter, also outside any object pypdf reads.
RAW_SCRIPT_NAME = re.compile(rb"/(?:JS|JavaScript|XFA)(?=[\s()<>\[\]{}/%]|$)")
# Other active content a council decision never needs: starting a program (/Launch), attached files
# (/EmbeddedFiles, /EmbeddedFile, a /FileAttachment annotation), multimedia (/RichMedia), and an
# action run on opening (/OpenAction as an action other than going to a page: /GoTo or a plain
# destination array are how ordinary PDFs open at page 1).
ACTIVE_NAMES = frozenset({"/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/FileAttachment", "/RichMedia"})


def pdf_check(upload: File) -> None:
    """Refuse (PortalError, field ``document``) anything but a real, unencrypted PDF without
    JavaScript, within settings.PORTAL_MAX_UPLOAD_BYTES and with a plain file name.

    Reads the file and rewinds it; writes nothing.
    """
    from pypdf import PdfReader

    _name_check(upload.name)
    limit: int = settings.PORTAL_MAX_UPLOAD_BYTES
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if getattr(upload, "too_large", False) or len(data) > limit:  # portal.uploads capped it as it came in
        _refuse(
            _("Het bestand is groter dan %(limit)s MB. Verklein de PDF (bijvoorbeeld zonder ingesloten afbeeldingen).")
            % {"limit": f"{limit / 2**20:g}"},
            code="upload_too_large",
        )
    if not data.startswith(PDF_MAGIC):
        _refuse(_("Het bestand is geen PDF. Sla het document op als PDF en voeg het opnieuw toe."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse_encrypted()
        pages = len(reader.pages)
        found = _active_content(reader)
    except PortalError:
        raise
    except Exception:  # noqa: BLE001 - whatever the parser trips over, the file is not a usable PDF
        # pypdf may fail on an encryption it cannot read (AES without the crypto extra): say so.
        if b"/Encrypt" in data:
            _refuse_encrypted()
        _refuse(_("Het bestand is geen geldige PDF: het kan niet worden gelezen. Sla het opnieuw op als PDF."))
    if pages == 0:
        _refuse(_("De PDF bevat geen pagina's."))
    if found == "active":
        _refuse(
            _(
                "De PDF bevat actieve inhoud (een actie bij het openen, een programma dat start, ingesloten "
                "bestanden of multimedia) en wordt daarom geweigerd. Sla het document opnieuw op als gewone PDF "
                "(bijvoorbeeld PDF/A)."
            ),
            code="pdf_active_content",
        )
    if found == "script" or RAW_SCRIPT_NAME.search(data):
        _refuse(
            _(
                "De PDF bevat JavaScript of formulierscripts en wordt daarom geweigerd. Sla het document "
                "opnieuw op als gewone PDF (bijvoorbeeld PDF/A)."
            ),
            code="pdf_javascript",
        )


def _name_check(name: str | None) -> None:
    if name is None:
        return
    if "/" in name or "\\" in name or name in {"", ".", ".."} or not name.isprintable():
        _refuse(
            _("De bestandsnaam is ongeldig: gebruik een gewone naam zonder mappen of speciale tekens."),
            code="upload_name",
        )


def _active_content(reader: PdfReader) -> str | None:
    """Walk every object of the document (object streams too) for a script ("script") or other active
    content ("active"), as key or value; None when there is none."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack: list[Any] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    active = False
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if SCRIPT_NAMES.intersection(obj.keys()):
                return "script"
            if ACTIVE_NAMES.intersection(obj.keys()) or _opens_with_an_action(obj):
                active = True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject):
            if obj in SCRIPT_NAMES:
                return "script"
            active = active or obj in ACTIVE_NAMES
    return "active" if active else None  # a script anywhere outweighs other active content


def _opens_with_an_action(obj: Any) -> bool:
    from pypdf.generic import DictionaryObject

    action = obj.get("/OpenAction")
    action = action.get_object() if action is not None else None
    return isinstance(action, DictionaryObject) and action.get("/S") != "/GoTo"


def _refuse_encrypted() -> NoReturn:
    _refuse(
        _("De PDF is beveiligd of versleuteld. Voeg het document toe zonder wachtwoord of beveiliging."),
        code="pdf_encrypted",
    )


def _refuse(message: str, *, code: str = "pdf_invalid") -> NoReturn:
    raise PortalError(message, errors={"document": [message]}, code=code)
