"""Errors that speak to the user: the CLI prints them as one line and exits with code 2."""


class UsageError(Exception):
    """Bad input from the user (an option, a path, a file): say what was wrong and what to do."""

    def __init__(self, message: str = "", *args: object):
        from docclf.redact import redact_text

        # messages quote URIs (tracking servers, storages): never with their passwords or tokens
        super().__init__(redact_text(str(message)), *args)


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived during training; the run ends as KILLED after `last.pth` is safe."""

    def __init__(self, signum: int):
        import signal

        super().__init__(signal.Signals(signum).name)
        self.signum = signum
