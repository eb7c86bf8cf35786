"""Models of the networks module."""
