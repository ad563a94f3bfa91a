# Placeholder: being written now. Every view below is replaced.


def results(request, **kwargs):
    raise NotImplementedError


def agreed_position(request, **kwargs):
    raise NotImplementedError


def action_list(request, **kwargs):
    raise NotImplementedError


def action_create(request, **kwargs):
    raise NotImplementedError


def action_edit(request, **kwargs):
    raise NotImplementedError


def action_review(request, **kwargs):
    raise NotImplementedError


