"""LiveKit Agents glue: stage agents, tools, timers, engines, the worker entrypoint."""
