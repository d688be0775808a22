"""What the real-browser tests share: a page looked at as its user would, at 1366 px and at phone width."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: where the screenshots go (kept as test artefacts)
ARTEFACTS = Path(os.environ.get("BROWSER_ARTEFACTS", "/tmp/browser-artefacts"))


def look(page: Any, url: str, name: str) -> None:
    """Open ``url`` at 1366 and 390 px: it answers 200 and the page never scrolls sideways; a full-page screenshot
    of each width goes to ``ARTEFACTS`` as ``<name>-<width>.png``."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px"
        # a full-page screenshot of a long page with maps takes seconds on a busy machine: not what is tested
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True, timeout=60_000)
