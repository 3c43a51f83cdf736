"""WCAG contrast: known values, and the darker-shade suggestion actually passes."""

import pytest

from handouts.contrast import AA, contrast_ratio, darken_until


def test_black_on_white_is_21_and_same_colour_is_1() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_known_pair() -> None:
    # #767676 on white is the classic lightest grey that passes AA (4.54:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_darken_until_reaches_the_ratio_and_keeps_the_hue() -> None:
    shade = darken_until("#4fa3e0", "#ffffff", AA)
    assert contrast_ratio(shade, "#ffffff") >= AA
    assert contrast_ratio("#4fa3e0", "#ffffff") < AA
    assert int(shade[5:7], 16) > int(shade[1:3], 16)  # still blue
