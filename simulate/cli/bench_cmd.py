"""``seatsim bench``: allocations per second against a plain per-draw reference."""
from .common import app  # noqa: F401  (filled in below)
