"""Models of the budgeting module."""
