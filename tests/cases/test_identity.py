import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings, strategies as st

from cases.identity import (
    MobileNumberField,
    NationalIdField,
    make_valid_national_id,
    mobile_to_e164,
    normalize_mobile,
    validate_mobile,
    validate_national_id,
)

DIGIT_SETS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
MSG_MOBILE = "شماره همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷"
MSG_NATIONAL_ID = "کد ملی معتبر نیست"


def in_digit_set(text, digit_set):
    return text.translate(str.maketrans("0123456789", digit_set))


# --- mobile -----------------------------------------------------------------

MOBILE_FORMS = [
    "09121234567",
    "9121234567",
    "+989121234567",
    "00989121234567",
    "989121234567",
    "0912 123 4567",
    "0912-123-4567",
    "(0912) 123-4567",
    "+98 912 123 4567",
    "+98 (0) 912 123 4567",
    "0098-912-1234567",
    "  09121234567  ",
]


@pytest.mark.parametrize("digit_set", DIGIT_SETS)
@pytest.mark.parametrize("raw", MOBILE_FORMS)
def test_normalize_mobile_forms_and_digit_sets(raw, digit_set):
    assert normalize_mobile(in_digit_set(raw, digit_set)) == "09121234567"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0912123456",  # one digit short
        "091212345678",  # one digit long
        "08121234567",  # not a mobile prefix
        "02188888888",  # landline
        "+19121234567",
        "+9121234567",  # "+" without the country code
        "0912.123.4567",
        "0912123456x",
        "۰۹۱۲۱۲۳۴۵۶۷۸",
        "98+9121234567",
        "१९१२१२३४५६७",
    ],
)
def test_normalize_mobile_rejects(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile(raw)
    assert excinfo.value.messages == [MSG_MOBILE]


def test_mobile_to_e164():
    assert mobile_to_e164("09121234567") == "+989121234567"
    assert mobile_to_e164("۰۹۳۵۱۱۱۲۲۳۳") == "+989351112233"


def test_mobile_field_and_validator():
    field = MobileNumberField()
    assert field.clean("+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷") == "09121234567"
    assert field.widget.attrs["inputmode"] == "tel"
    assert MobileNumberField(required=False).clean("") == ""
    with pytest.raises(ValidationError) as excinfo:
        field.clean("12345")
    assert excinfo.value.messages == [MSG_MOBILE]

    validate_mobile("09121234567")
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile("+989121234567")
    assert excinfo.value.messages == ["شماره همراه باید به شکل استاندارد ۰۹۱۲۱۲۳۴۵۶۷ ذخیره شود"]
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile("0912")
    assert excinfo.value.messages == [MSG_MOBILE]


@settings(max_examples=200)
@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["0{}", "{}", "+98{}", "0098{}", "98{}", "+980{}"]),
    st.lists(st.sampled_from(DIGIT_SETS), min_size=14, max_size=14),
    st.lists(st.sampled_from(["", "", " ", "-"]), min_size=14, max_size=14),
)
def test_mobile_round_trip_over_forms_and_digit_sets(rest, form, digit_sets, gaps):
    normal = "09" + rest
    plain = form.format(normal[1:])
    typed = ""
    for i, ch in enumerate(plain):
        typed += (digit_sets[i][int(ch)] if ch.isdigit() else ch) + gaps[i]
    assert normalize_mobile(typed) == normal
    assert normalize_mobile(normal) == normal
    assert mobile_to_e164(typed) == "+98" + normal[1:]
    assert normalize_mobile(mobile_to_e164(normal)) == normal


# --- national id --------------------------------------------------------------

KNOWN_VALID = ["0499370899", "0790419904", "0084575948"]


@pytest.mark.parametrize("digit_set", DIGIT_SETS)
@pytest.mark.parametrize("national_id", KNOWN_VALID)
def test_known_national_ids_in_each_digit_set(national_id, digit_set):
    assert validate_national_id(in_digit_set(national_id, digit_set)) == national_id


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("499370899", "0499370899"),  # leading zero lost in a spreadsheet
        ("84575948", "0084575948"),
        ("۰۴۹-۹۳۷۰۸۹-۹", "0499370899"),  # as printed on the card
        (" 079 041 9904 ", "0790419904"),
    ],
)
def test_national_id_padding_and_punctuation(raw, normal):
    assert validate_national_id(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0499370898",  # wrong check digit
        "0790419905",
        "4575948",  # seven digits: too short even for padding
        "04993708990",
        "049937089a",
        "0000000000",
        "1111111111",
        "5555555555",
        "00000000",
        "0499/370899",
    ],
)
def test_national_id_rejects(raw):
    with pytest.raises(ValidationError) as excinfo:
        validate_national_id(raw)
    assert excinfo.value.messages == [MSG_NATIONAL_ID]


def test_national_id_field():
    assert NationalIdField().clean("۰۴۹۹۳۷۰۸۹۹") == "0499370899"
    with pytest.raises(ValidationError) as excinfo:
        NationalIdField().clean("0499370898")
    assert excinfo.value.messages == [MSG_NATIONAL_ID]


def test_make_valid_national_id():
    assert make_valid_national_id("049937089") == "0499370899"
    assert make_valid_national_id("۰۷۹۰۴۱۹۹۰") == "0790419904"
    with pytest.raises(ValueError):
        make_valid_national_id("12345678")
    with pytest.raises(ValueError):
        make_valid_national_id("111111111")  # would complete to 1111111111


@settings(max_examples=200)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_made_national_ids_validate_and_other_check_digits_do_not(first_nine):
    assume(len(set(first_nine)) > 1)
    national_id = make_valid_national_id(first_nine)
    assert validate_national_id(national_id) == national_id
    for wrong in "0123456789".replace(national_id[9], ""):
        with pytest.raises(ValidationError):
            validate_national_id(first_nine + wrong)
