"""The clinic a handout is printed for: its file, logo and brand colour, checked once a run.

The logo is named relative to the clinic file and must stay in that folder (or below it), so
a clinic file cannot pull in ``../../etc/passwd``; it must be a picture we can draw. The brand
colour fills the header band, so the header's text must stay readable on it: at least WCAG AA
(4.5:1), or the error names a darker shade that is.
"""

from __future__ import annotations

from pathlib import Path

from .confine import confined
from .contrast import AA, contrast_ratio, darken_until
from .errors import HandoutError
from .fonts import FontFamily, refuse_undrawable
from .images import picture
from .load import load_yaml
from .model import Clinic, validate
from .theme import Theme

BRAND = "brand"
"""The theme colour a clinic's ``brand_color`` replaces (the header band's background)."""

_PRINTED = ("name", "phone", "address", "website")
"""The clinic's words that go on every page, so each must be drawable in the theme's font."""

_LOGO_HEIGHT = 40.0
"""Any height will do to check that the logo can be drawn; the template sets the real one."""


def load_clinic(path: Path, theme: Theme, family: FontFamily) -> Clinic:
    """Read and check the clinic file; the returned ``logo`` is the picture's full path."""
    document = load_yaml(path)
    clinic = validate(Clinic, document)
    for key in _PRINTED:
        refuse_undrawable(getattr(clinic, key) or "", family, file=path, line=document.line_of((key,)), key=key)
    if clinic.logo:
        try:
            logo = _checked_logo(path, clinic.logo)
        except HandoutError as error:
            raise HandoutError(error.message, file=path, line=document.line_of(("logo",)), key="logo") from None
        clinic = clinic.model_copy(update={"logo": str(logo), "logo_alt": clinic.logo_alt or f"{clinic.name} logo"})
    if clinic.brand_color:
        problem = _contrast_problem(clinic.brand_color, with_brand(theme, clinic))
        if problem:
            raise HandoutError(problem, file=path, line=document.line_of(("brand_color",)), key="brand_color")
    return clinic


def _checked_logo(clinic_file: Path, logo: str) -> Path:
    """The logo's full path, once it is known to be a picture inside the clinic file's folder."""
    folder = clinic_file.parent.resolve()
    path = confined(folder / logo, [folder])
    if path is None:
        raise HandoutError(f"the logo '{logo}' is outside the clinic file's folder; put the picture "
                           f"in {folder} (or a folder inside it) and name it from there")
    if not path.exists():
        raise HandoutError(f"there is no logo file '{logo}' in {folder}")
    try:
        picture(path, _LOGO_HEIGHT)
    except HandoutError as error:
        raise HandoutError(f"the logo '{logo}': {error.message}") from None
    return path


def with_brand(theme: Theme, clinic: Clinic) -> Theme:
    """``theme`` with the clinic's brand colour in place of its own ``brand`` colour."""
    if not clinic.brand_color:
        return theme
    return theme.model_copy(update={"colors": {**theme.colors, BRAND: clinic.brand_color}})


def _contrast_problem(brand: str, theme: Theme) -> str | None:
    """What is wrong with the header's text on the band, or None when every style reads well."""
    band = theme.boxes.get("header")
    if band is None or band.background is None:
        return None
    background = theme.color(band.background)
    for selector, style in theme.styles.items():
        text = theme.color(style.color)
        ratio = contrast_ratio(text, background)
        if selector.split()[0] == "header" and ratio < AA:
            shade = darken_until(background, text)
            advice = (f"try the darker shade '{shade}'" if contrast_ratio(shade, text) >= AA
                      else "choose a colour with more contrast")
            return (f"the header text ({text}) on the brand colour {brand} has a contrast of only "
                    f"{ratio:.1f}:1; older readers need at least {AA:g}:1, so {advice}")
    return None
