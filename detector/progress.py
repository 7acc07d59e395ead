"""Progress bars with an ETA for steps that can take more than a few seconds: on a terminal only, to stderr."""
from __future__ import annotations

import sys

from tqdm import tqdm

PROGRESS_MIN = 200  # items below which a step is quick: no bar


def progress_bar(total: int, desc: str, unit: str = "条", show: bool | None = None, items: int | None = None) -> tqdm:
    """A bar over ``total`` units (use as a context manager, ``update`` as work is done). ``show``: force on / off;
    by default shown when stderr is a terminal and ``items`` (default ``total``) reaches :data:`PROGRESS_MIN`."""
    if show is None:
        show = (total if items is None else items) >= PROGRESS_MIN and sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit == "字", disable=not show, file=sys.stderr,
                dynamic_ncols=True)
