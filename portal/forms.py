"""Form pieces every app's pages share: the browser's own date and time pickers, and PortalForm.

A form checks the shape of the input; the service checks the rules. When the service refuses,
PortalForm.add_portal_error puts each of its messages at the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.exceptions import PortalError


class DateInput(forms.DateInput):
    """The browser's own date picker; its value is always ISO (JJJJ-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's own time picker (UU:MM)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PortalForm(forms.Form):
    """A form whose service may refuse: the refusal's field errors go to the fields, the rest to the top."""

    # Shown above the form when the refusal's own message only repeats a field error.
    failure_message: Any = _("Niet opgeslagen.")
    # The service's name for a field where the form calls it otherwise ("deadline" → "deadline_date").
    service_fields: ClassVar[Mapping[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop_maxlength()

    def drop_maxlength(self) -> None:
        """No maxlength in the HTML: a browser cuts pasted text there without a word, and the page would
        then report "opgeslagen" for less than was typed. The server checks the length and says so."""
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def add_portal_error(self, exc: PortalError) -> None:
        errors: dict[str, list[str]] = {}
        for key, msgs in exc.errors.items():
            errors.setdefault(self.service_fields.get(key, key), []).extend(msgs)
        field_messages = [m for key, msgs in errors.items() if key in self.fields for m in msgs]
        for key, msgs in errors.items():
            for message in msgs:
                self.add_error(key if key in self.fields else None, message)
        if exc.message not in field_messages:
            self.add_error(None, exc.message)
        elif not self.non_field_errors():
            self.add_error(None, str(self.failure_message))
