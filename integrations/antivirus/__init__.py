"""Virus scanning of uploaded bytes (ClamAV's clamd); knows nothing of cases."""
