"""child deaths."""
