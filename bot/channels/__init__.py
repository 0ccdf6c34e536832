"""Channel adapters: verify the sender, parse the payload, hand it to the inbox.

Registered the Rasa way in credentials.yml (e.g. `bot.channels.webchat.WebChatInput`).
"""
