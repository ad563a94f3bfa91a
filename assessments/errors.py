"""What a service raises when a request breaks a rule."""


class ServiceError(Exception):
    """A request that breaks a rule; the message is written for the person who made it."""
