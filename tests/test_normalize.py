"""Normalisation: what eSpeak is given to say for numbers, money, times, numerals, abbreviations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.normalize import cardinal, normalize, ordinal, year

CASES = [
    # the examples
    ("in 1813 the Bennets came", "in eighteen thirteen the Bennets came"),
    ("the 1990s", "the nineteen nineties"),
    ("£5,000 a year", "five thousand pounds a year"),
    ("It cost $12.50.", "It cost twelve dollars and fifty cents."),
    ("at 10:30 sharp", "at ten thirty sharp"),
    ("pages 12–14", "pages twelve to fourteen"),
    ("Henry VIII had six wives", "Henry the Eighth had six wives"),
    ("I think I saw Baker St. from St. Paul's.", "I think I saw Baker Street from Saint Paul's."),
    ("Dr. Watson and Mr. and Mrs. Hudson", "Doctor Watson and Mister and Missus Hudson"),
    ("No. 5 and no. 12", "number five and number twelve"),
    ("apples, pears, etc. Then", "apples, pears, et cetera. Then"),
    ("apples etc., and", "apples et cetera, and"),
    # numbers
    ("3 men and 1,000,000 ants", "three men and one million ants"),
    ("the 1st, 22nd and 103rd", "the first, twenty-second and one hundred and third"),
    ("pi is 3.14 or .5", "pi is three point one four or point five"),
    ("-5 degrees", "minus five degrees"),
    ("50% and 12.5%", "fifty percent and twelve point five percent"),
    ("1/2 and 3/4 of 1½ cups", "one half and three quarters of one and a half cups"),
    ("agent 007", "agent zero zero seven"),
    ("1500 soldiers", "one thousand five hundred soldiers"),
    # years and decades
    ("December, 1843.", "December, eighteen forty-three."),
    ("On June 5, 1813 she", "On June five, eighteen thirteen she"),
    ("born 1905, died 2007", "born nineteen oh five, died two thousand and seven"),
    ("in 1900 and 2024", "in nineteen hundred and twenty twenty-four"),
    ("the ’90s and the 1870's", "the nineties and the eighteen seventies"),
    ("from 1914-18", "from nineteen fourteen to eighteen"),
    ("1914–1918", "nineteen fourteen to nineteen eighteen"),
    # money
    ("€3.20", "three euros and twenty cents"),
    ("$1 and £1 and $0.01", "one dollar and one pound and one cent"),
    ("$5,823.00", "five thousand eight hundred and twenty-three dollars"),
    ("$3 million", "three million dollars"),
    ("£5–10", "five to ten pounds"),
    ("£3.50", "three pounds and fifty pence"),
    ("out of a $2 bill", "out of a two-dollar bill"),
    ("two $20 gold certificates", "two twenty-dollar gold certificates"),
    ("a $4,000 stock", "a four-thousand-dollar stock"),
    ("the $50 in his pocket", "the fifty dollars in his pocket"),
    # times
    ("10:05 or 12:00", "ten oh five or twelve o'clock"),
    # roman numerals
    ("Louis XIV's court", "Louis the Fourteenth's court"),
    ("Queen Elizabeth I", "Queen Elizabeth the First"),
    ("Elizabeth I. Then", "Elizabeth the First. Then"),
    ("CHAPTER XLII.", "CHAPTER forty-two."),
    ("Stave I: Marley's Ghost", "Stave one: Marley's Ghost"),
    ("World War II", "World War two"),
    ("II.", "Two."),
    # abbreviations
    ("Mulholland Dr.", "Mulholland Drive."),
    ("Capt. Ahab met Gen. Grant on Mt. Hood", "Captain Ahab met General Grant on Mount Hood"),
    ("John Smith Jr. came", "John Smith Junior came"),
    ("e.g. this, i.e. that", "for example this, that is that"),
    ("Rock & Roll", "Rock and Roll"),
]

UNTOUCHED = [
    "I think I am, and I said so.",
    "Henry I went home.",  # may be "Henry, I went home"
    "the book I read and a letter I wrote",
    "Appendix C and John D. Rockefeller",
    "A1, MP3, 3D and B12",
    "call 555-1234 on 2020-01-05, we won 3-2",
    "12/25/20",
    "O. Henry",
    "Say no. Then go.",
    "",
]


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_examples(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", UNTOUCHED)
def test_what_it_is_unsure_of_stays(text: str) -> None:
    assert normalize(text) == text


def test_number_words() -> None:
    assert cardinal(0) == "zero" and cardinal(105) == "one hundred and five"
    assert cardinal(1_000_005) == "one million and five"
    assert cardinal(2_300_000_000) == "two billion three hundred million"
    assert (
        ordinal(12) == "twelfth"
        and ordinal(40) == "fortieth"
        and ordinal(101) == "one hundred and first"
    )
    assert (
        year(1066) == "ten sixty-six"
        and year(2000) == "two thousand"
        and year(1009) == "one thousand and nine"
    )


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 .,:-–/£$€%½'’sthndrIVXLCMDab StDrMr.No")),
        max_size=40,
    )
)
def test_never_raises_never_empties_and_leaves_no_rule_marks(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    if text.strip():
        assert out.strip()
    assert not any("\ue000" <= ch <= "\ue1ff" for ch in out)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_every_integer_is_said_in_words(n: int) -> None:
    said = normalize(f"we counted {n} of them")
    assert not any(ch.isdigit() for ch in said)
    assert said.startswith("we counted ") and said.endswith(" of them")


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_normalising_twice_changes_nothing_more(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
