"""Custom NLU pieces: safety overrides and the held-out evaluation report."""
