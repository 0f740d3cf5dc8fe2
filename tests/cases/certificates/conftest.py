"""What the verification page's and API's tests share: a transfer certificate issued at
ISSUED, rendered by the recording renderer (no PDF engine), and caches emptied on both
sides of the test, since the page and the API share one allowance per address."""

import pytest
import time_machine
from django.core.cache import cache

from cases.certificates.services import issue_transfer_certificate
from tests.support.certificates import APPROVED, ISSUED, NO_FEES, RECORDING_RENDERER, ready_case


@pytest.fixture
def verification(settings):
    settings.PDF_RENDERER = RECORDING_RENDERER
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def transfer(verification):
    case = ready_case()
    with time_machine.travel(ISSUED, tick=False):
        return issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
