"""Colour contrast by WCAG 2.x, so a theme or a clinic's brand colour stays readable.

Patients are mostly older adults: text must stand out from its background (WCAG AA asks for
4.5:1, AAA for 7:1). :func:`darken_until` suggests the nearest darker shade that passes.
"""

from __future__ import annotations

AA = 4.5
AAA = 7.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_color: str) -> float:
    """Relative luminance of ``#rrggbb``, 0 (black) to 1 (white)."""
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken_until(color: str, against: str, ratio: float = AA) -> str:
    """The lightest shade of ``color``, darkened in small steps, that reaches ``ratio`` against ``against``."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(101):
        keep = 1 - step / 100
        shade = f"#{round(red * keep):02x}{round(green * keep):02x}{round(blue * keep):02x}"
        if contrast_ratio(shade, against) >= ratio:
            return shade
    return "#000000"
