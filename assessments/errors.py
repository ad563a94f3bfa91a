"""What a service raises when a request breaks a rule."""


class ServiceError(Exception):
    """A request that breaks a rule; the message is written for the person who made it."""


class MailNotSent(ServiceError):
    """An e-mail the mail server did not take. Whatever the service saved before sending
    stays saved and valid, so the person can send it again."""
