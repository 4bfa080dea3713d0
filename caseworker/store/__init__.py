"""The local encrypted store: engine, models, migrations and repositories."""
