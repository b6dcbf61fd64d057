"""The Moderation page: approve, reject or re-categorise pending pins."""
