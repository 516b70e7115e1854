"""Start the longest tests first on every pytest-xdist worker (`make test`: `-n 2 --dist worksteal`).

worksteal hands worker i a contiguous slice of the collection (the first half to one, the second to the
other) and lets an idle worker steal from the end of another's queue. In collection order the long tests
(the seed's full pipeline, the team workflow, the tuner's searches) sit in the second half, so one of them
could start when the other worker had already run dry: the last 3% of tests took about 4 minutes. Here each
worker's slice begins with its share of the tests marked `@pytest.mark.long(seconds)`, dealt longest first to
the least-loaded worker; every other test keeps its place in collection order, so modules stay contiguous
and their module fixtures are built once per slice as before.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")

# fixtures shared by more than one test: a long test that uses one brings its whole module along, or the
# fixture (a PostgreSQL cluster, an API server, a browser) would be built twice
SHARED_SCOPES = frozenset({"class", "module", "package"})


def slice_sizes(n: int, workers: int) -> list[int]:
    """The sizes of the slices worksteal gives the workers at the start: each takes an equal share of what is
    left (xdist 3.8, WorkStealingScheduling.check_schedule)."""
    sizes, left = [], n
    for i in range(workers):
        sizes.append(left // (workers - i))
        left -= sizes[-1]
    return sizes


def long_first(items: Sequence[Item], workers: int, seconds: Callable[[Item], float | None],
               module_of: Callable[[Item], str], shares_module: Callable[[Item], bool]) -> list[Item]:
    """The items reordered so that each worker's slice starts with long tests; unchanged when there are none,
    or when some worker's long tests would not fit in its slice."""
    units = _long_units(items, seconds, module_of, shares_module)
    if not units or workers < 2:
        return list(items)
    heads: list[list[Item]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for weight, unit in sorted(units, key=lambda u: -u[0]):
        w = load.index(min(load))
        heads[w] += unit
        load[w] += weight
    sizes = slice_sizes(len(items), workers)
    if any(len(h) > s for h, s in zip(heads, sizes)):
        return list(items)
    taken = {id(it) for h in heads for it in h}
    rest = iter([it for it in items if id(it) not in taken])
    ordered: list[Item] = []
    for head, size in zip(heads, sizes):
        ordered += head + [next(rest) for _ in range(size - len(head))]
    return ordered


def _long_units(items: Sequence[Item], seconds: Callable[[Item], float | None], module_of: Callable[[Item], str],
                shares_module: Callable[[Item], bool]) -> list[tuple[float, list[Item]]]:
    """(estimated seconds, items) per unit: a long test alone, or its whole module when it shares a fixture."""
    longs = [it for it in items if seconds(it) is not None]
    whole = list(dict.fromkeys(module_of(it) for it in longs if shares_module(it)))
    units = [([x for x in items if module_of(x) == mod]) for mod in whole]
    units += [[it] for it in longs if module_of(it) not in whole]
    return [(sum(seconds(x) or 0.0 for x in unit), unit) for unit in units]
