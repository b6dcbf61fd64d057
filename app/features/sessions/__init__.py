"""The Mapping sessions page: create a session, print its paper map, transcribe, export."""
