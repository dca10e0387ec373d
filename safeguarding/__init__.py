"""Information system for a local safeguarding children partnership."""
