"""The Patrol planning page: ranked exposed places, a walking round and its downloads."""
