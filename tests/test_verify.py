"""Stage 6: what counts as text a reader can find in the finished PDF."""

import pytest

from handouts.verify import findable, plain


@pytest.mark.parametrize(
    "text",
    [
        "Call the clinic today.",
        "Call the\nclinic   today.",
        "Call the clin\nic today.",  # a word wider than the line is split
        "Call the cli-\nnic today.",  # a soft hyphen breaks as '-'
    ],
)
def test_phrase_is_found_through_line_breaks(text: str) -> None:
    assert findable("Call the cli\u00adnic today.", text)


@pytest.mark.parametrize("text", ["Call theclinic today.", "Call the clinic tonight.", "Call the cli-nic today."])
def test_lost_spaces_and_changed_words_are_not_found(text: str) -> None:
    assert not findable("Call the clinic today.", text)


def test_plain_drops_soft_hyphens_only() -> None:
    assert plain("Osteo\u00adporosis & you") == "Osteoporosis & you"
