"""Password rules in the portal's languages.

Django 6.1 reworded the error of its MinimumLengthValidator (``%d`` where it had
``%(min_length)d``), and its Dutch catalogue still has only the old wording: a short password
was refused in English on Dutch pages. This validator is Django's, with the message in our catalogue.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import ngettext


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken hebben.",
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens hebben.",
            self.min_length,
        ) % {"min_length": self.min_length}
