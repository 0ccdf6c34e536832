"""Load benchmark of the hotline (`make bench`): simulated SMS texters against the full stack.

Not part of the test suite (pytest only collects tests/). See docs/performance.md.
"""
