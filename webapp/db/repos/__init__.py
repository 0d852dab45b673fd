"""Repositories: every database read and write of the app, one module per aggregate,
with the owner / organisation check inside.

Import the module you need (nothing is re-exported here)::

    from webapp.db.repos import schedules as schedule_repo
    from webapp.db.repos.base import DuplicateName, NotFound, Page

Modules
-------
* :mod:`~webapp.db.repos.base` — :class:`Page`, :class:`NotFound`, :class:`DuplicateName`,
  ``MAX_PAGE_SIZE``, the paging / name-filter helpers and the shop write helpers
  (``flush_unique``, ``set_fields``, ``FIXED_FIELDS``).
* :mod:`~webapp.db.repos.users` — user accounts (no owner; role checks live in
  :mod:`webapp.auth`).
* :mod:`~webapp.db.repos.schedules` — filling schedules and their result rows, status
  changes, ``fail_stale_runs``.
* :mod:`~webapp.db.repos.comparisons` — comparisons of several strategies' schedules.
* :mod:`~webapp.db.repos.templates` — config templates (private or shared, one default).
* :mod:`~webapp.db.repos.organisations` — organisations, membership, plants,
  ``ensure_organisation``, ``add_member``, ``clear_shop``.
* :mod:`~webapp.db.repos.products` — products and product types.
* :mod:`~webapp.db.repos.work_centers` — work centers, their categories, calendar
  exceptions and downtime.
* :mod:`~webapp.db.repos.work_orders` — work orders.
* :mod:`~webapp.db.repos.operations` — the operations of the work orders.
* :mod:`~webapp.db.repos.pins` — the planner's sequence pins between operations.
* :mod:`~webapp.db.repos.change_sets` — accepted change sets (what undo needs).
* :mod:`~webapp.db.repos.plans` — shop plans and the organisation's current plan.
* :mod:`~webapp.db.repos.scenarios` — what-if scenarios.

Conventions
-----------
* The first argument is the :class:`~sqlmodel.Session` of the caller's unit of work
  (:func:`webapp.db.session_scope`); everything else is keyword-only. Repositories flush
  but never commit: the caller's scope commits or rolls back the whole unit of work.
* ``owner_id`` / ``user_id`` is the id of the *acting* user. A private row of another user
  is indistinguishable from a missing row: ``get_*`` returns ``None``, ``delete_*`` returns
  ``False`` and the other mutating calls raise :class:`~webapp.db.repos.base.NotFound`.
  Admins get no exemption (a schedule is private to its owner).
* Shop rows are scoped by ``organisation_id``, the acting user's organisation (resolved
  by the service layer from ``user_organisations``): a row of another organisation is
  indistinguishable from a missing one. Plans and scenarios are additionally private to
  their ``owner_id``, except the organisation's current plan.
* Paged lists return a :class:`~webapp.db.repos.base.Page` (items, total count, limit,
  offset).
"""
