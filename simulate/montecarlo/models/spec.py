"""A vote model as written in a scenario's ``[montecarlo]`` table: its kind and parameters,
checked, and turned into a ``VoteModel`` for an election.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from simulate.errors import InputError
from simulate.montecarlo.models.base import VoteModel
from simulate.montecarlo.models.categories import Categories
from simulate.montecarlo.models.dirichlet import Dirichlet
from simulate.montecarlo.models.logit_normal import LogitNormal
from simulate.montecarlo.models.transfer import Transfer
from simulate.montecarlo.models.uniform import Uniform
from simulate.threshold import format_percent

MODEL_PARAMETERS = {
    "dirichlet": ("concentration",),
    "logit-normal": ("sd", "sd_lists"),
    "transfer": ("transfer_from", "transfer_share", "transfer_to"),
    "uniform": ("min_share",),
    "district-swing": ("sigma_national", "sigma_district"),
}
"""Each model's parameters (the ``ModelSpec`` fields and ``[montecarlo]`` keys it reads)."""


MODEL_KINDS = tuple(MODEL_PARAMETERS)


@dataclass(frozen=True)
class ModelSpec:
    """A model's parameters by list name; ``build(categories)`` makes the model itself.

    ``sd`` is the common standard deviation (percentage points) and ``sd_lists`` overrides it
    for named lists; ``transfer_share`` is a (low, high) pair of fractions; ``sigma_national``
    and ``sigma_district`` are the district-swing model's scales on the log scale
    (``models.district_swing``).
    """

    kind: str = "dirichlet"
    concentration: float = 2000.0
    sd: float = 0.0
    sd_lists: tuple[tuple[str, float], ...] = ()
    transfer_from: tuple[str, ...] = ()
    transfer_share: tuple[Fraction, Fraction] = (Fraction(0), Fraction(0))
    transfer_to: tuple[str, ...] = ()
    min_share: Fraction = Fraction(0)
    sigma_national: float = 0.1
    sigma_district: float = 0.1

    def describe(self) -> dict[str, Any]:
        """The kind and its parameters as plain JSON values (shares as "x%" strings)."""
        out: dict[str, Any] = {"kind": self.kind}
        for key in MODEL_PARAMETERS.get(self.kind, ()):
            value = getattr(self, key)
            if key == "concentration" and math.isinf(value):
                value = "inf"
            elif key == "transfer_share":
                value = [format_percent(Fraction(v)) for v in value]
            elif key == "min_share":
                value = format_percent(Fraction(value))
            elif key == "sd_lists":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    def build(self, cats: Categories) -> VoteModel:
        def at(names: Iterable[str], key: str) -> tuple[int, ...]:
            out = []
            for name in names:
                if name not in cats.names[: cats.n_lists]:
                    raise InputError(f"{key}: no list named {name!r}")
                out.append(cats.index(name))
            return tuple(out)

        if self.kind == "dirichlet":
            return Dirichlet(cats.counts, self.concentration)
        if self.kind == "logit-normal":
            sd = [self.sd] * len(cats.counts)
            for i, (_name, s) in zip(at([n for n, _ in self.sd_lists], "sd_lists"), self.sd_lists):
                sd[i] = s
            return LogitNormal(cats.counts, tuple(sd))
        if self.kind == "transfer":
            low, high = self.transfer_share
            return Transfer(
                cats.counts,
                at(self.transfer_from, "transfer_from"),
                float(low),
                float(high),
                at(self.transfer_to, "transfer_to"),
            )
        if self.kind == "uniform":
            return Uniform(cats.counts, float(self.min_share))
        if self.kind == "district-swing":
            raise InputError(
                "model: district-swing draws the votes of districts: it needs an election "
                "with districts (run_district_montecarlo)"
            )
        raise InputError(
            f"model: unknown model {self.kind!r}; valid models: {', '.join(MODEL_KINDS)}"
        )
