"""Benchmarks (``seatsim bench``): the engine (``allocation``) and a Monte Carlo run end to
end (``montecarlo``), each against the plain per-draw reference in the same process."""
