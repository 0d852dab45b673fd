"""Config templates: named, reusable strategy settings of one owner.

A template flagged ``is_shared`` is readable (and usable, duplicable) by every user, but
only its owner can change or delete it; another user's template behaves as a missing one
for every write. Names are unique per owner, and an owner has at most one default.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.db.models import ConfigTemplate, utcnow
from webapp.db.repos.base import DuplicateName, NotFound, Page, name_filter, paginate


def _visible_template(user_id: int, template_id: int):
    return select(ConfigTemplate).where(
        ConfigTemplate.id == template_id,
        sa.or_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_shared).is_(True)),
    )


def _own_template(session: Session, owner_id: int, template_id: int) -> ConfigTemplate:
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.id == template_id, ConfigTemplate.owner_id == owner_id
    )
    template = session.exec(stmt).first()
    if template is None:
        raise NotFound(f"template {template_id} not found")
    return template


def _flush_template(session: Session, template: ConfigTemplate) -> None:
    session.add(template)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DuplicateName(f"you already have a template named '{template.name}'") from exc


def template_name_exists(
    session: Session, *, owner_id: int, name: str, exclude_id: int | None = None
) -> bool:
    """Whether ``owner_id`` already has a template called ``name``.

    Returns ``True``/``False``; the template ``exclude_id`` does not count. Raises nothing.
    """
    stmt = select(ConfigTemplate.id).where(
        ConfigTemplate.owner_id == owner_id, ConfigTemplate.name == name
    )
    if exclude_id is not None:
        stmt = stmt.where(ConfigTemplate.id != exclude_id)
    return session.exec(stmt).first() is not None


def _clear_default(session: Session, owner_id: int, keep_id: int | None = None) -> None:
    stmt = (
        sa.update(ConfigTemplate)
        .where(ConfigTemplate.owner_id == owner_id, col(ConfigTemplate.is_default).is_(True))
        .values(is_default=False)
    )
    if keep_id is not None:
        stmt = stmt.where(ConfigTemplate.id != keep_id)
    session.exec(stmt)
    session.flush()


def create_template(
    session: Session,
    *,
    owner_id: int,
    name: str,
    config: dict,
    description: str = "",
    is_shared: bool = False,
    is_default: bool = False,
) -> ConfigTemplate:
    """Insert a template (``is_default``: it becomes ``owner_id``'s only default).

    Returns the new :class:`ConfigTemplate`. Raises :class:`DuplicateName` if ``owner_id``
    has one so named.
    """
    if template_name_exists(session, owner_id=owner_id, name=name):
        raise DuplicateName(f"you already have a template named '{name}'")
    if is_default:
        _clear_default(session, owner_id)
    template = ConfigTemplate(
        owner_id=owner_id,
        name=name,
        description=description,
        config=config,
        is_shared=is_shared,
        is_default=is_default,
    )
    _flush_template(session, template)
    return template


def get_template(session: Session, *, user_id: int, template_id: int) -> ConfigTemplate | None:
    """A template of ``user_id`` or a shared one; ``None`` otherwise. Raises nothing."""
    return session.exec(_visible_template(user_id, template_id)).first()


def list_templates(
    session: Session,
    *,
    user_id: int,
    include_shared: bool = True,
    only_own: bool = False,
    name_contains: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ConfigTemplate]:
    """``user_id``'s templates, plus other users' shared ones when ``include_shared``
    (and not ``only_own``).

    Returns a :class:`Page` sorted: the user's default first, then own before others',
    then by name. Raises nothing.
    """
    if only_own or not include_shared:
        stmt = select(ConfigTemplate).where(ConfigTemplate.owner_id == user_id)
    else:
        stmt = select(ConfigTemplate).where(
            sa.or_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_shared).is_(True))
        )
    cond = name_filter(ConfigTemplate.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    own_first = sa.case((ConfigTemplate.owner_id == user_id, 0), else_=1)
    default_first = sa.case(
        (sa.and_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_default)), 0),
        else_=1,
    )
    order = [default_first, own_first, col(ConfigTemplate.name), col(ConfigTemplate.id)]
    return paginate(session, stmt, order_by=order, limit=limit, offset=offset)


_UNSET: Any = object()


def update_template(
    session: Session,
    *,
    owner_id: int,
    template_id: int,
    name: str = _UNSET,
    description: str = _UNSET,
    config: dict = _UNSET,
    is_shared: bool = _UNSET,
) -> ConfigTemplate:
    """Change fields of one of ``owner_id``'s templates (shared ones of others: NotFound).

    Only the fields passed change. Returns the updated :class:`ConfigTemplate`. Raises
    :class:`NotFound` if the template is missing or not ``owner_id``'s and
    :class:`DuplicateName` if ``owner_id`` has another template called ``name``.
    """
    template = _own_template(session, owner_id, template_id)
    if name is not _UNSET and name != template.name:
        if template_name_exists(session, owner_id=owner_id, name=name, exclude_id=template_id):
            raise DuplicateName(f"you already have a template named '{name}'")
        template.name = name
    if description is not _UNSET:
        template.description = description
    if config is not _UNSET:
        template.config = config
    if is_shared is not _UNSET:
        template.is_shared = bool(is_shared)
    template.updated_at = utcnow()
    _flush_template(session, template)
    return template


def set_default_template(
    session: Session, *, owner_id: int, template_id: int | None
) -> ConfigTemplate | None:
    """Make one of ``owner_id``'s templates their only default (``None``: no default).

    Returns the new default, or ``None`` when ``template_id`` is ``None``. Raises
    :class:`NotFound` if the template is missing or not ``owner_id``'s (another user's
    shared template included).
    """
    if template_id is None:
        _clear_default(session, owner_id)
        return None
    template = _own_template(session, owner_id, template_id)
    _clear_default(session, owner_id, keep_id=template_id)
    template.is_default = True
    template.updated_at = utcnow()
    _flush_template(session, template)
    return template


def get_default_template(session: Session, *, owner_id: int) -> ConfigTemplate | None:
    """Returns ``owner_id``'s default template, or ``None`` if they have none. Raises nothing."""
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.owner_id == owner_id, col(ConfigTemplate.is_default).is_(True)
    )
    return session.exec(stmt).first()


def delete_template(session: Session, *, owner_id: int, template_id: int) -> bool:
    """Delete one of ``owner_id``'s templates.

    Returns ``False`` if it is missing or another user's (shared or not), else ``True``.
    Raises nothing.
    """
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.id == template_id, ConfigTemplate.owner_id == owner_id
    )
    template = session.exec(stmt).first()
    if template is None:
        return False
    session.delete(template)
    session.flush()
    return True
