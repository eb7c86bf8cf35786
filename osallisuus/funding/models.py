"""Models of the funding module."""
