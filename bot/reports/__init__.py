"""Hotline insights: report aggregates (queries.py) and de-identified statistics (stats.py).

Everything here is computed by the database from plain metadata columns
(times, channels, statuses, codes): no encrypted column is ever read.
"""
