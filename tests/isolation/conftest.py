"""The API suites' content fixtures, reused: indicators, yearly plans and actions in every schema,
and a consultation round with participations, opinions and an extension request per municipality.
"""

from tests.api.conftest import (  # noqa: F401
    adviser,
    busy_round,
    consultation,
    cycle,
    local_content,
    municipalities,
    participation_of,
    staff_of,
    top_themes,
)
