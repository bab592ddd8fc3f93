"""``python -m simulate``: the ``seatsim`` command line, for a checkout that is not installed."""

from simulate.cli import main

main()
