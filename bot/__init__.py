"""Hotline assistant service code: channels, messaging core, store, CLI."""
