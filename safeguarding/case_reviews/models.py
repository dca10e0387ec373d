"""case reviews."""
