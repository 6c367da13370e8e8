"""escalations."""
