"""The production settings, with static files collected into the run's temporary folder."""

import os
from pathlib import Path

from coprod.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
