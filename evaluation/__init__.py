"""Blind evaluation of the assistant's understanding (issue 10, item 7): `make eval`.

A development tool like bench/: it drives the running stack from outside through the
web chat and is imported by nothing in bot/ or actions/.
"""
