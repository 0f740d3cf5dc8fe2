"""Incidents: an automatic step that failed, listed for supervisors until it succeeds."""
