"""Participatory mapping: sessions, pin capture, paper transcription, moderation, import/export.

Modelled on the children's focus group of seed 001 and on city feeling maps. No participant
names or contacts are ever stored; every pin belongs to a session; new pins are pending until
a moderator approves them.
"""
