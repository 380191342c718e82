"""Reaching a Dask scheduler, quickly and in one line when it does not answer.

Kept apart from :mod:`backprop.class_render` (which imports the render machinery) so that a
wrong ``--scheduler`` is reported within seconds of starting.
"""

from __future__ import annotations

from backprop.errors import LessonError

__all__ = ["CONNECT_TIMEOUT", "SchedulerUnreachable", "connect"]

CONNECT_TIMEOUT = 3  # seconds to reach a scheduler before giving up


class SchedulerUnreachable(LessonError):
    """The Dask scheduler did not answer (or Dask is missing); ``str()`` is one line."""


def connect(address: str):
    """A Dask client of the scheduler at ``address``; :class:`SchedulerUnreachable` within
    :data:`CONNECT_TIMEOUT` seconds if it does not answer (or Dask is not installed)."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerUnreachable("--scheduler needs Dask: pip install '.[cluster]'") from None
    try:
        return Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address}: {reason}") from None
