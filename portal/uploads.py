"""Uploaded files are capped while they arrive, before more than the cap reaches memory or disk.

Django writes an upload over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file as it reads the body,
and only then can a view or service look at its size: a 2 GB "PDF" would be on disk first. This
handler sits before Django's own two (settings.FILE_UPLOAD_HANDLERS). It counts each file's bytes
and stops passing them on at settings.PORTAL_MAX_UPLOAD_BYTES: the file then arrives as an empty
``TooLargeUpload`` that knows its size, which imv.uploads.pdf_check refuses with its Dutch message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(SimpleUploadedFile):
    """What is left of a file over the cap: its name, type and the number of bytes that came in, no content."""

    too_large = True

    def __init__(self, name: str, content_type: str, received: int) -> None:
        super().__init__(name, b"", content_type)
        self.received = received
        self.size = received  # as it arrived: a form sees a file, not an empty one, and the check its size


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.PORTAL_MAX_UPLOAD_BYTES:
            self.over = True
        return None if self.over else raw_data  # None: the later handlers (memory, disk) get no more of it

    def file_complete(self, file_size: int) -> TooLargeUpload | None:
        if not self.over:
            return None  # the file as the next handler kept it
        return TooLargeUpload(self.file_name or "bestand", self.content_type or "", self.received)
