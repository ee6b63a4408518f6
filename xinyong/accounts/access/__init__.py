"""Who sees what and who may do what: the one place these rules are written.

Reads. Every department-scoped model declares, once, where its owning department is
(:class:`Scope`) and gets ``Model.objects.visible_to(actor)`` (in the manner of NetBox's
``restrict(user, action)``); selectors, views and API routes start from it and never
compare roles themselves. The rule (:func:`visible_q`):

- the platform operator (and the platform itself) reads every row;
- the auditor reads every row of back-office data, unless the model says otherwise
  (data about persons: the trail shows acts, not persons);
- a department's clerk, reviewer or business system reads its own department's rows, plus
  the providers sharing with it under a rule in force where the model's data is shared,
  plus what the model shows every department (``everyone``: e.g. published list entries);
- a portal account reads the rows of the subjects it is bound to (approved binding),
  where the model belongs to a subject's own file; the anonymous visitor reads none.

Writes. Services call :func:`require` with an :class:`Action` and the object acted on; it
raises ``PermissionDenied`` (or ``NotFound`` where a refusal would tell that something
exists). :func:`allowed` answers the same question for a page deciding what to offer.

The package by concern — every name is re-exported here, so callers write
``from xinyong.accounts import access`` and ``access.<name>``:

- :mod:`.scoping`: the read rule (:class:`Scope`, :func:`visible_q`, ``visible_to``);
- :mod:`.actions`: the :class:`Action` enumeration, one comment per action saying who;
- :mod:`.rules`: the rule table (:func:`allowed`, :func:`require`, :func:`acting_q`) and
  the rules it is built on (:func:`serves`, :func:`watches_persons`, :func:`feed_allowed`);
- :mod:`.offers`: what a page shows or offers (a department filter, which department's
  figures, the department field), asked by views and selectors instead of roles.

The package imports no models (it reaches them through the app registry): models import
it for their managers."""

from xinyong.accounts.access.actions import NO_DEPARTMENT, Action
from xinyong.accounts.access.offers import (
    acts_for_subject,
    association_menu,
    department_filter,
    names_department,
    reads_every_department,
    resets_password_by_email,
    stats_department,
)
from xinyong.accounts.access.rules import (
    FEED_SCOPE_DEFAULT,
    FEED_SCOPES,
    acting_q,
    allowed,
    authorised_association,
    feed_allowed,
    require,
    serves,
    watches_persons,
)
from xinyong.accounts.access.scoping import (
    NOTHING,
    Scope,
    ScopedQuerySet,
    bound_subject_ids,
    scoped_manager,
    visible_provider_ids,
    visible_q,
)

__all__ = [
    "FEED_SCOPES", "FEED_SCOPE_DEFAULT", "NOTHING", "NO_DEPARTMENT", "Action", "Scope",
    "ScopedQuerySet", "acting_q", "acts_for_subject", "allowed", "association_menu",
    "authorised_association", "bound_subject_ids",
    "department_filter", "feed_allowed", "names_department", "reads_every_department",
    "require", "resets_password_by_email", "scoped_manager", "serves", "stats_department",
    "visible_provider_ids", "visible_q", "watches_persons",
]  # fmt: skip
