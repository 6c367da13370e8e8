"""An in-process fake of the Telegram Bot API, for the tests and the demo.

It follows the documented Bot API (methods, limits and error texts), not this bot's habits:
``FakeBotApi`` answers method calls as JSON, ``FakeRequest`` plugs it into PTB without a network,
``FakeBotApiServer`` serves it over real HTTP, and ``Harness`` acts as people in chats.
"""
