import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings, strategies as st

from cases.renovation import (
    RenovationCode,
    RenovationCodeField,
    RequestNumber,
    RequestNumberField,
    validate_renovation_code,
)

DIGIT_SETS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")

MSG_EMPTY = "کدنوسازی را وارد کنید"
MSG_CHARACTERS = "کدنوسازی فقط می‌تواند رقم و جداکننده‌های «-» یا «/» یا فاصله داشته باشد"
MSG_GROUP_COUNT = "کدنوسازی باید هفت بخش عددی داشته باشد، مانند ۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲"
MSG_DISTRICT = "منطقه (بخش اول کدنوسازی) باید عددی از ۱ تا ۲۲ باشد"
MSG_GROUP_LENGTH = "هر بخش کدنوسازی حداکثر پنج رقم دارد"


def in_digit_set(text, digit_set):
    return text.translate(str.maketrans("0123456789", digit_set))


def messages(excinfo):
    return excinfo.value.messages


# --- renovation code: known examples -------------------------------------


@pytest.mark.parametrize("digit_set", DIGIT_SETS)
@pytest.mark.parametrize("sep", ["-", "/", " ", "  ", " - ", "/ ", "\t", "--", "‐", "–"])
def test_parse_each_digit_set_and_separator(digit_set, sep):
    raw = in_digit_set(sep.join(["12", "345", "67", "8", "0", "0", "12"]), digit_set)
    code = RenovationCode.parse(f"  {raw} ")
    assert str(code) == "12-345-67-8-0-0-12"
    assert code.district == 12
    assert code.groups == ("12", "345", "67", "8", "0", "0", "12")


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("۱۲/۳۴۵-۶۷ ۸/۰ ۰-۱۲", "12-345-67-8-0-0-12"),  # mixed separators
        ("012-345-67-8-0-0-12", "12-345-67-8-0-0-12"),  # district zeros dropped
        ("00001-1-1-1-1-1-1", "1-1-1-1-1-1-1"),
        ("3-00345-067-8-00-0-012", "3-00345-067-8-00-0-012"),  # others kept as typed
        ("22-99999-99999-99999-99999-99999-99999", "22-99999-99999-99999-99999-99999-99999"),
        ("1٢-۳4٥-67-8-0-0-12", "12-345-67-8-0-0-12"),  # digit sets mixed within a group
        ("\u2066۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲\u2069", "12-345-67-8-0-0-12"),  # pasted with isolates
    ],
)
def test_parse_known_examples(raw, normal):
    assert str(RenovationCode.parse(raw)) == normal


def test_display_is_persian_normal_form():
    assert RenovationCode.parse("12/345/67/8/0/0/12").display() == "۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲"


def test_direct_construction_follows_the_same_rules():
    assert RenovationCode(("07", "1", "2", "3", "4", "5", "6")) == RenovationCode.parse(
        "7-1-2-3-4-5-6"
    )
    with pytest.raises(ValidationError):
        RenovationCode(("23", "1", "2", "3", "4", "5", "6"))


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", MSG_EMPTY),
        ("   ", MSG_EMPTY),
        ("12-345-67-8-0-0-1a", MSG_CHARACTERS),
        ("12.345.67.8.0.0.12", MSG_CHARACTERS),
        ("12_345_67_8_0_0_12", MSG_CHARACTERS),
        ("१२-345-67-8-0-0-12", MSG_CHARACTERS),  # Devanagari digits are not accepted
        ("12345678001", MSG_GROUP_COUNT),  # no separators: boundaries unknowable
        ("۱۲۳۴۵۶۷۸۰۰۱۲", MSG_GROUP_COUNT),
        ("12-345-67-8-0-0", MSG_GROUP_COUNT),
        ("12-345-67-8-0-0-12-1", MSG_GROUP_COUNT),
        ("-12-345-67-8-0-0-12", MSG_GROUP_COUNT),
        ("12-345-67-8-0-0-", MSG_GROUP_COUNT),
        ("0-345-67-8-0-0-12", MSG_DISTRICT),
        ("00-345-67-8-0-0-12", MSG_DISTRICT),
        ("23-345-67-8-0-0-12", MSG_DISTRICT),
        ("۲۳-۳۴۵-۶۷-۸-۰-۰-۱۲", MSG_DISTRICT),
        ("12-345678-67-8-0-0-12", MSG_GROUP_LENGTH),
        ("000012-345-67-8-0-0-12", MSG_GROUP_LENGTH),
        ("12-345-67-8-0-0-123456", MSG_GROUP_LENGTH),
    ],
)
def test_parse_rejects_with_specific_message(raw, message):
    with pytest.raises(ValidationError) as excinfo:
        RenovationCode.parse(raw)
    assert messages(excinfo) == [message]


def test_form_field_cleans_to_normal_string():
    field = RenovationCodeField()
    assert field.clean(" ۱۲ / ۳۴۵ / ۶۷ / ۸ / ۰ / ۰ / ۱۲ ") == "12-345-67-8-0-0-12"
    assert RenovationCodeField(required=False).clean("") == ""
    with pytest.raises(ValidationError) as excinfo:
        field.clean("12-345")
    assert messages(excinfo) == [MSG_GROUP_COUNT]
    with pytest.raises(ValidationError) as excinfo:
        field.clean("")
    assert excinfo.value.code == "required"


def test_form_field_input_is_ltr():
    assert RenovationCodeField().widget.attrs["dir"] == "ltr"


def test_model_validator_requires_normal_form():
    validate_renovation_code("12-345-67-8-0-0-12")
    with pytest.raises(ValidationError) as excinfo:
        validate_renovation_code("12/345/67/8/0/0/12")
    assert messages(excinfo) == ["کدنوسازی باید به شکل استاندارد ۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲ ذخیره شود"]
    with pytest.raises(ValidationError) as excinfo:
        validate_renovation_code("30-345-67-8-0-0-12")
    assert messages(excinfo) == [MSG_DISTRICT]


# --- renovation code: properties ------------------------------------------

group = st.text(alphabet="0123456789", min_size=1, max_size=5)
separator = st.text(alphabet="-/ \t", min_size=1, max_size=3)
padding = st.text(alphabet=" \t\n", max_size=2)


@st.composite
def typed_codes(draw):
    """A valid code typed the way a citizen might, and its expected normal form."""
    district = draw(st.integers(min_value=1, max_value=22))
    zeros = draw(st.integers(min_value=0, max_value=5 - len(str(district))))
    groups = ["0" * zeros + str(district)] + [draw(group) for _ in range(6)]
    normal = "-".join([str(district)] + groups[1:])

    def render(text):
        return "".join(draw(st.sampled_from(DIGIT_SETS))[int(c)] for c in text)

    typed = render(groups[0])
    for g in groups[1:]:
        typed += draw(separator) + render(g)
    return draw(padding) + typed + draw(padding), normal


@settings(max_examples=200)
@given(typed_codes())
def test_any_typed_spelling_parses_to_its_normal_form(case):
    typed, normal = case
    assert str(RenovationCode.parse(typed)) == normal
    assert RenovationCodeField().clean(typed) == normal


@settings(max_examples=200)
@given(typed_codes())
def test_parse_is_idempotent(case):
    code = RenovationCode.parse(case[0])
    assert RenovationCode.parse(str(code)) == code
    assert RenovationCode.parse(code.display()) == code
    validate_renovation_code(str(code))


@settings(max_examples=200)
@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹", min_size=1, max_size=35))
def test_code_without_separators_is_always_rejected(digits):
    with pytest.raises(ValidationError) as excinfo:
        RenovationCode.parse(digits)
    assert messages(excinfo) == [MSG_GROUP_COUNT]


# --- request number ---------------------------------------------------------

MSG_RN_EMPTY = "شماره درخواست را وارد کنید"
MSG_RN_CHARACTERS = (
    "شماره درخواست فقط می‌تواند رقم و جداکننده‌های «-» یا «/» یا فاصله داشته باشد"
)
MSG_RN_SHAPE = "شماره درخواست باید به شکل سال-ماه-شماره باشد، مانند ۱۴۰۳-۱۲-۰۰۰۱۲۳"
MSG_RN_YEAR = "سال در شماره درخواست باید چهار رقم و از ۱۳۰۰ تا ۱۴۹۹ باشد"
MSG_RN_MONTH = "ماه در شماره درخواست باید از ۱ تا ۱۲ باشد"
MSG_RN_SERIAL = "بخش سوم شماره درخواست باید دقیقاً شش رقم باشد"


@pytest.mark.parametrize("digit_set", DIGIT_SETS)
@pytest.mark.parametrize("sep", ["-", "/", " ", " / ", "--", "\t"])
def test_request_number_each_digit_set_and_separator(digit_set, sep):
    raw = in_digit_set(sep.join(["1403", "12", "000123"]), digit_set)
    number = RequestNumber.parse(f" {raw}  ")
    assert (number.year, number.month, number.serial) == (1403, 12, 123)
    assert str(number) == "1403-12-000123"


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("1403-1-000123", "1403-01-000123"),  # month left-padded
        ("۱۴۰۲/۷/۹۹۹۹۹۹", "1402-07-999999"),
        ("1300-01-000000", "1300-01-000000"),
        ("1499-12-000001", "1499-12-000001"),
        ("140312000123", "1403-12-000123"),  # fixed widths make bare digits unambiguous
        ("۱۴۰۳۰۵۰۰۰۱۲۳", "1403-05-000123"),
    ],
)
def test_request_number_known_examples(raw, normal):
    assert str(RequestNumber.parse(raw)) == normal


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", MSG_RN_EMPTY),
        ("1403-12-00012a", MSG_RN_CHARACTERS),
        ("1403.12.000123", MSG_RN_CHARACTERS),
        ("1403-12", MSG_RN_SHAPE),
        ("1403-12-000123-1", MSG_RN_SHAPE),
        ("14031200123", MSG_RN_SHAPE),  # 11 bare digits
        ("1403--000123", MSG_RN_SHAPE),  # a doubled separator is not an empty month
        ("1299-12-000123", MSG_RN_YEAR),
        ("1500-12-000123", MSG_RN_YEAR),
        ("403-12-000123", MSG_RN_YEAR),
        ("01403-12-000123", MSG_RN_YEAR),
        ("1403-13-000123", MSG_RN_MONTH),
        ("1403-0-000123", MSG_RN_MONTH),
        ("1403-00-000123", MSG_RN_MONTH),
        ("1403-012-000123", MSG_RN_MONTH),
        ("1403-12-123", MSG_RN_SERIAL),  # serials are not padded
        ("1403-12-0000123", MSG_RN_SERIAL),
    ],
)
def test_request_number_rejects_with_specific_message(raw, message):
    with pytest.raises(ValidationError) as excinfo:
        RequestNumber.parse(raw)
    assert messages(excinfo) == [message]


def test_request_number_field_and_display():
    assert RequestNumberField().clean("۱۴۰۳/۱۲/۰۰۰۱۲۳") == "1403-12-000123"
    assert RequestNumber(1403, 2, 5).display() == "۱۴۰۳-۰۲-۰۰۰۰۰۵"
    with pytest.raises(ValidationError) as excinfo:
        RequestNumberField().clean("1403-12-123")
    assert messages(excinfo) == [MSG_RN_SERIAL]


@settings(max_examples=200)
@given(
    st.integers(min_value=1300, max_value=1499),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=999_999),
    st.booleans(),
    st.lists(st.sampled_from(DIGIT_SETS), min_size=12, max_size=12),
    st.tuples(separator, separator),
)
def test_request_number_round_trip(year, month, serial, pad_month, digit_sets, seps):
    parts = [str(year), f"{month:02d}" if pad_month else str(month), f"{serial:06d}"]
    plain = parts[0] + seps[0] + parts[1] + seps[1] + parts[2]
    typed, i = "", 0
    for ch in plain:
        if ch.isdigit():
            typed += digit_sets[i % 12][int(ch)]
            i += 1
        else:
            typed += ch
    number = RequestNumber.parse(typed)
    assert str(number) == f"{year}-{month:02d}-{serial:06d}"
    assert RequestNumber.parse(str(number)) == number
