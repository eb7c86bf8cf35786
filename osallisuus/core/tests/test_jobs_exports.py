"""The formula-safe CSV writer every export uses (osallisuus.core.exports)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osallisuus.core.exports import FORMULA_PREFIXES, csv_bytes, csv_text, safe_cell

# Any text a person could type into a form (no lone surrogates: they cannot be stored as UTF-8).
typed_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
formula_like = st.tuples(st.sampled_from(FORMULA_PREFIXES), typed_text).map("".join)
cell_text = st.one_of(typed_text, formula_like)


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# No deadline: on a busy two-core machine one example can take longer than the default 200 ms.
@settings(deadline=None)
@given(st.lists(st.lists(cell_text, min_size=1, max_size=6), min_size=1, max_size=6))
def test_safe_csv__no_written_text_cell_can_start_a_formula(rows):
    # Given any rows of typed text, many of them shaped like formulas
    # When they are written and read back as a spreadsheet would split them
    parsed = parse(csv_text(rows))
    # Then the shape is kept and no cell starts with a formula character
    assert [len(row) for row in parsed] == [len(row) for row in rows]
    for row in parsed:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), repr(cell)


@settings(deadline=None)
@given(cell_text)
def test_safe_csv__text_is_kept_apart_from_the_added_apostrophe(text):
    # Given any text, when it goes through one cell and back
    [[cell]] = parse(csv_text([[text]]))
    # Then it is the same text, or the same text behind one apostrophe when it looked like a formula
    if text.startswith(FORMULA_PREFIXES):
        assert cell == "'" + text
    else:
        assert cell == text


@given(
    st.one_of(
        st.integers(),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_safe_csv__numbers_stay_numbers(number):
    # A negative number is data, not a formula: it is written without the apostrophe
    assert Decimal(safe_cell(number)) == Decimal(str(number))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+358 40 123 4567", "'+358 40 123 4567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("Åke Öhman", "Åke Öhman"),
        ("", ""),
        (None, ""),
        (True, "1"),
        (-5, "-5"),
        (dt.date(2025, 3, 1), "2025-03-01"),
    ],
)
def test_safe_cell__examples(value, written):
    assert safe_cell(value) == written


def test_csv_bytes__is_utf8_with_bom_and_semicolons_for_excel():
    data = csv_bytes([["Nimi", "Kunta"], ["Äijä; Öhman", "Järvilahti"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert parse(data.decode("utf-8-sig")) == [["Nimi", "Kunta"], ["Äijä; Öhman", "Järvilahti"]]
    assert data.endswith(b"\r\n")
