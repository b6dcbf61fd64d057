"""Patrol planning for the police, the crime-prevention manager and the APK coordinator:
ranked exposed places, a walking route over them, its coverage, GPX and a printable sheet."""
