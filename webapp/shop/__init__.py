"""The shop services of the app: ``mapping`` (rows <-> ``ShopProblem``), ``imports``
(workbooks, demo), ``planning`` (plan, diff, accept), ``edits`` (the scheduling board's
edits, applied through ``scheduler_core.shop.edits``), ``catalog`` (work orders, work
centers, calendars, downtime, members) and ``scenarios`` (what-if). Every function takes
``db`` and the acting ``user``; the user's organisation is resolved (and created on first
use) by ``webapp.access.acting_member``. Writes need a planner or an admin."""
