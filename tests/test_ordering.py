"""How `make test` orders the collection for its two workers (tests/ordering.py)."""

from __future__ import annotations

from ordering import long_first, slice_sizes

# (module, test, seconds when marked long, uses a module fixture)
TESTS = [("a", "a1", None, False), ("a", "a2", None, False), ("b", "b1", None, True), ("b", "b2", 40, True),
         ("c", "c1", None, False), ("c", "c2", 100, False), ("c", "c3", None, False), ("d", "d1", 60, False),
         ("d", "d2", None, False), ("e", "e1", None, False)]


def order(tests, workers):
    return [t[1] for t in long_first(tests, workers, lambda t: t[2], lambda t: t[0], lambda t: t[3])]


def test_slices_are_the_ones_worksteal_hands_out():
    assert slice_sizes(10, 2) == [5, 5]
    assert slice_sizes(11, 2) == [5, 6]
    assert slice_sizes(10, 3) == [3, 3, 4]


def test_each_worker_starts_with_long_tests_and_keeps_modules_with_shared_fixtures_together():
    got = order(TESTS, 2)
    first, second = got[:5], got[5:]
    # longest first: c2 (100) to worker 0, d1 (60) to worker 1, then module b (40) to the lighter worker 1
    assert first[0] == "c2" and second[:3] == ["d1", "b1", "b2"]
    # the other tests keep their collection order, filling each slice after its long tests
    assert first[1:] == ["a1", "a2", "c1", "c3"] and second[3:] == ["d2", "e1"]
    assert sorted(got) == sorted(t[1] for t in TESTS)


def test_order_is_left_alone_without_long_tests_or_workers_or_room():
    names = [t[1] for t in TESTS]
    assert order([(m, n, None, s) for m, n, _, s in TESTS], 2) == names
    assert order(TESTS, 1) == names
    # every test long, on 3 workers: worker 0's long tests would spill past its slice of 3
    assert order([(m, n, 10, False) for m, n, _, _ in TESTS], 3) == names
