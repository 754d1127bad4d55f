"""The outbox's exceptions, in a module of their own so services and tasks (which
import each other) can both name them at import time."""


class TransientDeliveryError(Exception):
    """The send failed for a reason that may pass (network, SMTP 4xx): retry later.

    ``attempts`` is how many times the row has been tried so far (for the backoff).
    """

    def __init__(self, message: str, *, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts
