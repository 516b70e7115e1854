"""Errors that speak to the user: the CLI prints them as one line and exits with code 2."""


class UsageError(Exception):
    """Bad input from the user (an option, a path, a file): say what was wrong and what to do."""
