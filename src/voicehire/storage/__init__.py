"""Persistence: transcript stores, the database, the session cache."""
