"""Shared fixtures: short, noise-free scenarios so that tests are fast and exact."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
