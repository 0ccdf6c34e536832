"""Console blueprints; each module defines `bp` (registered by bot/console/app.py)."""
