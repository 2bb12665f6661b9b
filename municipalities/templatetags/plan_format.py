"""How the plan pages write numbers: in Dutch, grouped by thousands, without trailing zeros."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def measure(value: Decimal | int | None) -> str:
    """4.50 → "4,5", 1250.00 → "1.250", None → "" (a measured value, not an amount of money)."""
    if value is None:
        return ""
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return number_format(number, use_l10n=True, force_grouping=True)
