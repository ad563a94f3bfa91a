"""The production settings, with static files collected into the run's temporary folder."""

import os

from coprod.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
