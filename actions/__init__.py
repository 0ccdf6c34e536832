"""Rasa custom actions, one module per concern; loaded by rasa-sdk as a package."""
