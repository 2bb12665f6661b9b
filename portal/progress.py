"""Progress bars for long commands: one step per item, with the item's name beside the bar."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tqdm import tqdm

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


@contextlib.contextmanager
def progress_bar(
    *, total: int, description: str, unit: str, file: SupportsWrite[str], enabled: bool = True
) -> Iterator[Callable[[str], None]]:
    """Yield step(label): advance the bar by one and show label. Silent when there is nothing to do."""
    with tqdm(total=total, desc=description, unit=unit, file=file, disable=total == 0 or not enabled) as bar:

        def step(label: str) -> None:
            bar.set_postfix_str(label)
            bar.update()

        yield step
