"""Use cases: what the UI, the CLI and sync call. Each call is one transaction."""
