"""The agent's other modes (seed 002): gap-filling calls to candidates and briefings for
interviewers, sharing engines, transcripts, logging and the platform client with the
interview mode. ``run_mode_job`` (in :mod:`voicehire.agent.modes.job`) runs them in a
LiveKit room; :mod:`voicehire.agent.modes.session` runs them locally."""
