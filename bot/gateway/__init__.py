"""The messaging gateway: public webhooks, web chat, inbox, router, outbox and sweeps.

It runs in its own process (`python -m bot.gateway`, started by `hotline run`)
so intake never depends on Rasa: while Rasa starts, reloads a model or is down,
webhooks are still answered and messages wait in the inbox. Rasa is reached
over an internal channel on loopback (`internal_channel.py` on Rasa's side,
`rasa_client.py` here), authenticated with HOTLINE_INTERNAL_SECRET.
"""
