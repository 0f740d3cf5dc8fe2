from .backend import KavenegarBackend

__all__ = ["KavenegarBackend"]
