"""Errors the claims services raise for a caller to show, each with a clear message."""


class ClaimTrackError(Exception):
    """A request the services refuse; `message` is meant for the person who made it."""

    code = "refused"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def details(self) -> dict:
        return {}


class StaleStatusError(ClaimTrackError):
    """The claim's status is no longer the one the caller saw: someone changed it since."""

    code = "stale_status"

    def __init__(self, *, expected: str, current: str):
        super().__init__(
            f"The claim's status is now {current!r}, not {expected!r} as you saw it: "
            "someone changed it meanwhile. Reload and decide again."
        )
        self.expected = expected
        self.current = current

    @property
    def details(self) -> dict:
        return {"expected": self.expected, "current": self.current}


class TransitionError(ClaimTrackError):
    """The requested status change is not allowed."""

    code = "transition_refused"
