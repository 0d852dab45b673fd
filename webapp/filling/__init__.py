"""The filling services of the app: ``runs`` (plan and store, comparisons), ``history``
(stored schedules and comparisons as read models), ``templates`` (config templates) and
``mapping`` (stored rows <-> domain objects). Every function takes ``db`` and the acting
``user`` (see ``webapp.access``)."""
