"""The staff pages' shared least-recently-used map."""

import threading

from staff.lru import LockedLRU


def test_the_least_recently_used_is_dropped_first():
    values = LockedLRU(2)
    values.put("a", 1)
    values.put("b", 2)
    assert values.get("a") == 1  # now the most recent
    values.put("c", 3)
    assert values.keys() == ["a", "c"]
    assert values.get("b") is None


def test_a_kept_none_or_false_is_told_from_a_missing_key():
    values, missing = LockedLRU(2), object()
    values.put("none", None)
    values.put("zero", 0)
    assert values.get("none", missing) is None
    assert values.get("zero", missing) == 0
    assert values.get("other", missing) is missing


def test_putting_a_key_again_replaces_it_and_makes_it_the_most_recent():
    values = LockedLRU(2)
    values.put("a", 1)
    values.put("b", 2)
    values.put("a", 10)
    values.put("c", 3)
    assert values.keys() == ["a", "c"] and values.get("a") == 10


def test_clear_drops_everything():
    values = LockedLRU(4)
    values.put("a", 1)
    values.clear()
    assert values.keys() == [] and values.get("a") is None


def test_threads_never_push_it_past_its_size():
    values = LockedLRU(8)

    def fill(offset: int) -> None:
        for n in range(2_000):
            values.put((offset, n), n)
            values.get((offset, n - 1))

    threads = [threading.Thread(target=fill, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(values.keys()) == 8
