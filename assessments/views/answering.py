# Placeholder: being written now. Every view below is replaced.


def member_start(request, **kwargs):
    raise NotImplementedError


def member_page(request, **kwargs):
    raise NotImplementedError


def member_autosave(request, **kwargs):
    raise NotImplementedError


def member_done(request, **kwargs):
    raise NotImplementedError


def invite_start(request, **kwargs):
    raise NotImplementedError


def invite_page(request, **kwargs):
    raise NotImplementedError


def invite_autosave(request, **kwargs):
    raise NotImplementedError


def invite_done(request, **kwargs):
    raise NotImplementedError


