"""Pages of the networks module."""
