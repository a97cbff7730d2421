"""The shared simulator fixtures (see tests/sim_fixtures.py)."""

from tests.sim_fixtures import *  # noqa: F403
