"""The domain: plans, session configuration, stage flow, transcripts, field specs, scoring.

Pure Python. Nothing in this package imports livekit, FastAPI or SQLAlchemy.
"""
