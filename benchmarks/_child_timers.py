"""The clocks of benchmarks/_child.py: section timers, memory marks and cProfile sections.

Apart from the child's instrumentation so that each stays short; imported by the child
from its own folder, before anything of the builder is.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import resource
import time
from pathlib import Path

timings: dict[str, float] = {}  # seconds per timed section, summed over its calls
peaks: dict[str, int] = {}  # process high-water mark (kB) when each timed section ended
PROFILE_DIR = os.environ.get("BENCH_PROFILE")


def high_water() -> int:
    """This process's maximum resident set size so far, in kB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Profiles:
    """One cProfile per section; nested sections pause the enclosing one.

    Builders that only log the end of each stage get a *pending* section at the bottom of
    the stack, which each stage line hands over to the stage it ends; what is left after
    the last stage is dumped as ``outside-stages``.
    """

    PENDING = "outside-stages"

    def __init__(self) -> None:
        self.profiles: dict[str, list[cProfile.Profile]] = {}
        self.stack: list[cProfile.Profile] = []

    def enter(self, name: str) -> None:
        if self.stack:
            self.stack[-1].disable()
        if name not in self.profiles:
            self.profiles[name] = [cProfile.Profile()]
        profile = self.profiles[name][-1]
        self.stack.append(profile)
        profile.enable()

    def leave(self) -> None:
        self.stack.pop().disable()
        if self.stack:
            self.stack[-1].enable()

    def hand_over(self, name: str) -> None:
        """Give what the pending section profiled so far to ``name``; start it afresh."""
        pending = self.profiles.get(self.PENDING, [None])[-1]
        if not self.stack or self.stack[0] is not pending:
            return
        fresh = cProfile.Profile()
        if len(self.stack) == 1:
            pending.disable()
            fresh.enable()
        self.stack[0] = fresh
        self.profiles[self.PENDING][-1] = fresh
        self.profiles.setdefault(name, []).append(pending)

    def dump(self, folder: Path) -> None:
        if self.stack:
            self.stack[-1].disable()
        folder.mkdir(parents=True, exist_ok=True)
        for name, profiles in self.profiles.items():
            used = [profile for profile in profiles if profile.getstats()]
            if used:
                stats = pstats.Stats(used[0])
                stats.add(*used[1:])
                stats.dump_stats(str(folder / f"{name}.prof"))


profiles = Profiles()


def timed(name: str, function):
    """Wrap ``function`` so its wall time is added to ``timings[name]``."""

    def wrapper(*args, **kwargs):
        if PROFILE_DIR:
            profiles.enter(name)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
            peaks[name] = high_water()
            if PROFILE_DIR:
                profiles.leave()

    wrapper.__wrapped__ = function
    return wrapper
