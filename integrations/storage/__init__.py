"""Private file storage backends and their short-lived read links; knows nothing of cases."""
