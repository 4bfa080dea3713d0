"""Sync with the county: the wire protocol (shared with the server) and the client."""
