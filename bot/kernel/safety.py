"""Where the "in immediate danger, call 112" line goes.

On every step of a nine-step flow it is noise on a phone, and noise gets skipped. It stands where
a person starts telling something and where they confirm it: the first and the last screen of
each case, escalation and vote flow, the case card, a note's confirmation and the vote brief.
"""

from __future__ import annotations

from collections.abc import Sequence

EMERGENCY_KEY = "safety.emergency"


def shows_emergency_line(step: str, steps: Sequence[str], first: str | None = None) -> bool:
    """The first (``first`` when the flow began further in) and the last of ``steps``."""
    return step in (first or steps[0], steps[-1])
