"""Pure rules and value types: no Qt, no SQL, no files (except reading reference data)."""
