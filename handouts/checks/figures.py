"""The figures in a text, in a form that compares across languages.

A figure is what a translation must carry over unchanged: a number (with its unit, if it has
one), a phone number, a web address or a ``{{ name }}``. Each is reduced to what it means, so
the same figure written two ways compares equal:

- numbers by value: 1,200 · 1.200 · 1 200 are 1200; 1½ · 1.5 · 1,5 are 1.5; −1.0 is −1;
- units by what they measure, in English or Spanish: oz · onzas, IU · UI, inches · pulgadas;
- phone numbers by the digits dialled: 1-800-QUIT-NOW is 1-800-784-8669;
- web addresses without scheme, ``www.`` or a closing slash, in lower case.

A unit this module does not know (or a number with no unit) matches the same number with any
unit: a language without an entry here is compared by number alone, never falsely accused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..load import Location

UNITS = {
    "mg": ("mg", "milligram", "milligrams", "miligramo", "miligramos"),
    "mcg": ("mcg", "µg", "microgram", "micrograms", "microgramo", "microgramos"),
    "g": ("g", "gram", "grams", "gramo", "gramos"),
    "kg": ("kg", "kilogram", "kilograms", "kilogramo", "kilogramos"),
    "IU": ("iu", "ui"),
    "oz": ("oz", "ounce", "ounces", "onza", "onzas"),
    "cup": ("cup", "cups", "taza", "tazas"),
    "inch": ("inch", "inches", "pulgada", "pulgadas"),
    "cm": ("cm", "centimeter", "centimeters", "centímetro", "centímetros"),
    "minute": ("min", "minute", "minutes", "minuto", "minutos"),
    "hour": ("hour", "hours", "hora", "horas"),
    "day": ("day", "days", "día", "días"),
    "week": ("week", "weeks", "semana", "semanas"),
    "month": ("month", "months", "mes", "meses"),
    "year": ("year", "years", "año", "años"),
    "%": ("%", "percent", "porcentaje"),
}
"""Each unit a figure may carry, by the words that name it (lower case, English and Spanish)."""

_UNIT_OF = {word: unit for unit, words in UNITS.items() for word in words}
_FRACTIONS = "½¼¾⅓⅔"
_GROUP = "[ \u00a0\u202f]"  # a space, no-break space or narrow no-break space between digit groups
_NAME = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_WEB = re.compile(r"(?<![\w@.-])(?:https?://)?(?:[A-Za-z0-9-]+\.)+[a-z]{2,24}\b(?:/[^\s)\]]*)?")
_LETTER = "0-9A-ZÁÉÍÓÚÜÑ"
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+\d{{1,3}}(?:[ .-]\d{{1,4}}){{2,5}}"  # +34 91 123 45 67
    rf"|\d{{3}}-\d{{4}}"  # 555-0100
    rf"|(?:1[-. ])?(?:\(\d{{3}}\) ?|\d{{3}}[-. ])(?P<local>[{_LETTER}]+(?:[-. ][{_LETTER}]+)*))(?![\w-])"  # 1-800-QUIT-NOW
)
_NUMBER = re.compile(
    rf"(?<![\w.,])(?P<sign>[−–-](?=[\d{_FRACTIONS}]))?"
    rf"(?P<number>(?:\d{{1,3}}(?:{_GROUP}\d{{3}}(?!\d))+|\d+(?:[.,]\d{{3}}(?!\d))*)(?:[.,]\d+)?[{_FRACTIONS}]?|[{_FRACTIONS}])"
    rf"(?:{_GROUP}?(?P<unit>%|[^\W\d_]+))?"
)
_KEYPAD = {letter: str(digit) for digit, letters in
           {2: "ABC", 3: "DEF", 4: "GHI", 5: "JKL", 6: "MNO", 7: "PQRS", 8: "TUV", 9: "WXYZ"}.items()
           for letter in letters}


@dataclass(frozen=True)
class Figure:
    """One figure as written (``shown``) and what it means (``kind``, ``value``, ``unit``)."""

    kind: str
    value: str
    shown: str
    at: Location = ()
    unit: str | None = None

    def matches(self, other: Figure) -> bool:
        """The same figure: same kind and value, and the same unit where both name one."""
        return (self.kind, self.value) == (other.kind, other.value) and (
            self.unit is None or other.unit is None or self.unit == other.unit)


def figures(text: str, at: Location = ()) -> list[Figure]:
    """Every figure in ``text``, in reading order.

    Names are looked for first, then web addresses, phone numbers and numbers, each blanked out
    of the text when found, so the digits of a phone number are never counted again as numbers.
    """
    text = text.replace("**", "")
    found: list[tuple[int, Figure]] = []
    for pattern, make in ((_NAME, _name), (_WEB, _web), (_PHONE, _phone), (_NUMBER, _number)):
        for match in pattern.finditer(text):
            figure = make(match, at)
            if figure:
                found.append((match.start(), figure))
                text = text[: match.start()] + " " * len(match[0]) + text[match.end() :]
    return [figure for _, figure in sorted(found, key=lambda item: item[0])]


def _name(match: re.Match[str], at: Location) -> Figure:
    name = " ".join(match[1].split())
    return Figure("name", name, f"{{{{ {name} }}}}", at)


def _web(match: re.Match[str], at: Location) -> Figure:
    shown = match[0].rstrip(".,;:")
    value = re.sub(r"^(?:https?://)?(?:www\.)?", "", shown.lower()).rstrip("/")
    return Figure("web address", value, shown, at)


def _phone(match: re.Match[str], at: Location) -> Figure | None:
    """A phone number by the digits dialled; letters count as on a keypad, as many as dialled."""
    local = match["local"]
    if local is not None and sum(c.isalnum() for c in local) < 7:  # "600 IU" is not a phone number
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", match[0].upper()) if c.isalnum())
    digits = "".join(_KEYPAD.get(c, c) for c in plain)
    if match[0].startswith("+") and not (len(digits) == 11 and digits[0] == "1"):  # +1 is dialled as 1-
        value = "+" + digits
    elif len(digits) == 7:
        value = digits
    else:
        value = "1" + (digits[1:] if len(digits) > 10 and digits[0] == "1" else digits)[:10]
    return Figure("phone number", value, match[0], at)


def _number(match: re.Match[str], at: Location) -> Figure:
    word = (match["unit"] or "").lower()
    unit = _UNIT_OF.get(word)
    shown = match[0] if unit else match[0][: match.end("number") - match.start()]
    value = _value(match["number"])
    if match["sign"] and value:
        value = -value
    return Figure("figure", f"{value.normalize():f}", shown, at, unit)


def _value(number: str) -> Decimal:
    """``1,200`` · ``1.200`` · ``1 200`` -> 1200; ``2.5`` · ``2,5`` -> 2.5; ``1½`` -> 1.5."""
    fraction = Decimal(str(unicodedata.numeric(number[-1]))) if number[-1] in _FRACTIONS else Decimal(0)
    whole = re.sub(_GROUP, "", number.rstrip(_FRACTIONS))
    if not whole:
        return fraction
    parts = re.fullmatch(r"(\d+(?:[.,]\d{3}(?!\d))*)(?:[.,](\d+))?", whole)
    assert parts, whole  # the pattern above only matches numbers of this form
    integer = re.sub(r"[.,]", "", parts[1])
    return Decimal(f"{integer}.{parts[2] or 0}") + fraction
