"""Pages of the funding module."""
