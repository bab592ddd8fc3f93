"""The vote models of the Monte Carlo, one file each (an extension point: a new model is a new
file with a ``VoteModel`` subclass, and a line in ``spec.MODEL_PARAMETERS``):

- ``dirichlet``: shares around the reported count with a concentration;
- ``logit_normal``: log-odds varied by a normal error in percentage points;
- ``transfer``: a share of one list's votes moved to others;
- ``uniform``: shares uniform on the simplex;
- ``district_swing``: an election with districts: a national swing per list shared by every
  district plus district noise (drawn by ``montecarlo.district_run``, not a ``VoteModel``).

``categories`` says what a draw varies; ``base`` what every model shares (whole votes that
add up exactly); ``spec`` reads a model from a scenario's ``[montecarlo]`` table.
"""

from simulate.montecarlo.models.base import VoteModel, counts_from_weights
from simulate.montecarlo.models.categories import (
    AGAINST_ALL,
    GAP_NAMES,
    Categories,
    vote_categories,
    widest_base,
)
from simulate.montecarlo.models.dirichlet import Dirichlet
from simulate.montecarlo.models.logit_normal import LOGIT_SD_LIMIT, LogitNormal
from simulate.montecarlo.models.spec import MODEL_KINDS, MODEL_PARAMETERS, ModelSpec
from simulate.montecarlo.models.transfer import Transfer
from simulate.montecarlo.models.uniform import Uniform

__all__ = [
    "AGAINST_ALL",
    "GAP_NAMES",
    "LOGIT_SD_LIMIT",
    "MODEL_KINDS",
    "MODEL_PARAMETERS",
    "Categories",
    "Dirichlet",
    "LogitNormal",
    "ModelSpec",
    "Transfer",
    "Uniform",
    "VoteModel",
    "counts_from_weights",
    "vote_categories",
    "widest_base",
]
