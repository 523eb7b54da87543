"""Screenshots of a page at the guide's two widths (1280 and 390 px), kept only when a test's
environment variable names a folder for them; without one the test takes none."""

import os


def shoot(page, folder: str | None, name: str) -> None:
    if not folder:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
