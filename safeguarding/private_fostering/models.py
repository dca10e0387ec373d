"""private fostering."""
