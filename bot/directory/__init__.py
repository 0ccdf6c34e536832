"""The resource directory: organisations and services staff keep current (docs/directory.md).

Tables live in bot/store/models.py (Dir*); this package holds the need taxonomy,
the texter look-up, staff edits, and Open Referral HSDS 3.0 import/export/validation.
"""
