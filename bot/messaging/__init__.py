"""Messaging core: inbox (durable, deduplicated), router, outbox (durable replies)."""
