"""Synthetic hotline traffic for demos, tests and the benchmark (`hotline demo seed`)."""
