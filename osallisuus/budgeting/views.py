"""Pages of the budgeting module."""
