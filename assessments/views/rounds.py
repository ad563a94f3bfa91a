# Placeholder: being written now. Every view below is replaced.


def round_create(request, **kwargs):
    raise NotImplementedError


def round_detail(request, **kwargs):
    raise NotImplementedError


def round_edit(request, **kwargs):
    raise NotImplementedError


def round_status(request, **kwargs):
    raise NotImplementedError


def invite_list(request, **kwargs):
    raise NotImplementedError


def invite_print(request, **kwargs):
    raise NotImplementedError


def invite_send(request, **kwargs):
    raise NotImplementedError


def invite_revoke(request, **kwargs):
    raise NotImplementedError


