"""Strategy documents → goals → measures and indicators, linked to the map.

``model`` defines and validates the objects, ``seed`` loads the transcribed seed documents from
``geodata/strategies``, ``tables`` converts them to and from store tables.
"""
