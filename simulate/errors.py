"""The domain errors seatsim raises.

Every error carries a one-line message that names the file, key or party at fault, so the
command line can print it as it is and exit with code 2.
"""

from __future__ import annotations


class SeatsimError(Exception):
    """Base class of every error seatsim raises on purpose."""


class InputError(SeatsimError, ValueError):
    """Bad input: a file, a key, a value or a rule that cannot be used as given."""


class TieError(SeatsimError):
    """The last seat(s) could go to more than one list and the tie policy is "error".

    ``lists`` names the tied lists and ``seats`` the number of seats at stake among them.
    """

    def __init__(self, message: str, lists: tuple[str, ...] = (), seats: int = 0):
        super().__init__(message)
        self.lists = lists
        self.seats = seats


class InfeasibleError(InputError):
    """The rules cannot fill the seats (no list passes, or a cap or minimum forbids it)."""
