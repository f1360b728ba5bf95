"""One router per resource; ``voicehire.api.app`` includes them all."""
