"""Referral records aligned with the IOM Human Trafficking Case Data Standard (HTCDS).

- `htcds`: the HTCDS field and value names we use, read from docs/reference/htcds/.
- `cases`: one case per texter episode, pre-filled from screening and tips.
- `consent`: what the texter agreed may be shared, with whom, by which message.
- `export`: CSV / JSON of consented fields only; every export is audited.
- `cli`: `hotline export`.

See docs/referrals.md.
"""
