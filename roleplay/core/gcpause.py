"""Keep Python's cyclic garbage collector off while a large structure is built.

Loading a library and analysing paths build hundreds of thousands of objects that stay
alive until the work is done and form no garbage cycles worth chasing (everything they
drop is freed by reference counting). With the collector on, every collection during the
work walks all of them, so the work slows as it grows. Collecting once afterwards, as
Python does on its own, costs one walk instead of hundreds; and what is built to be kept
(a loaded library) need not be walked even once: it is frozen, as Python's documentation
suggests for a program's long-lived heap.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = [0, True]  # pauses under way, and whether the collector was on before the first


@contextmanager
def collector_paused(*, keep_built: bool = False) -> Iterator[None]:
    """Keep the cyclic garbage collector off for the duration.

    Each kept scenario is a few thousand tracked objects; with the collector on, every
    collection during a scan walked all those already loaded, which tripled the time per
    file and made it grow with the library (path analysis of a 7,000-decision scenario: a
    third of its time). Pauses may overlap (a rescan while one is running, from another
    thread): the collector comes back on after the last one.

    ``keep_built``: what was built is kept for the rest of the program (a loaded library).
    The first collection after the pause would walk every object made during it, a seventh
    of loading a library's time; it is frozen instead (``gc.freeze``, no walk), so that no
    collection walks it. Only after the outermost pause of a collector that was on: a caller
    that turned it off manages it itself. Frozen objects are still freed when no longer
    referenced; only a reference cycle among them would wait for ``gc.unfreeze``, and the
    scenario models form none.
    """
    with _pause_lock:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                if keep_built:
                    gc.freeze()
                gc.enable()
