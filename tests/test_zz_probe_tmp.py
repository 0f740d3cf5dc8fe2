import time, pytest
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.test_transfer_security import citizen_a, logged_in, inspection_task  # noqa

@pytest.mark.django_db
def test_probe(citizen_a):
    b = logged_in("citizen2")
    t = inspection_task(citizen_a.registered)
    for verb in ("detail", "undo", "execute"):
        url = t.reverse(verb)
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            for _ in range(50): b.get(url)
            t1 = time.perf_counter()
            for _ in range(50): b.post(url, {})
            t2 = time.perf_counter()
        print(verb, "GET %.1fms POST %.1fms queries/req %.1f" % ((t1-t0)*20, (t2-t1)*20, len(q)/100))
    for q in q.captured_queries[-12:]: print(q["sql"][:150])
