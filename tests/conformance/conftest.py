"""The shared simulator fixtures (clock, sim, cfg) for this folder's tests."""

from tests.sim_fixtures import cfg, clock, sim

__all__ = ["cfg", "clock", "sim"]
