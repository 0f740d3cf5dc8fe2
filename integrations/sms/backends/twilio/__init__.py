from .backend import TwilioBackend

__all__ = ["TwilioBackend"]
