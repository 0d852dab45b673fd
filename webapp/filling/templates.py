"""Config templates: named line configurations a user keeps (private or shared with all
users), one of them their default. Configs are validated (every problem listed) before they
are stored; others' shared templates are read-only."""

from __future__ import annotations

from typing import Any

import yaml

from scheduler_core.filling import FillingConfig, parse_config
from scheduler_core.filling.codec import config_to_json
from webapp.access import acting_user
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import templates as template_repo
from webapp.db.repos.base import Page
from webapp.errors import InputError, NotFound
from webapp.views import TemplateView, page_of

#: The longest template name.
MAX_NAME = 255


def default_config() -> dict[str, Any]:
    """The JSON form of the default config (DESIGN.md §1 defaults)."""
    return config_to_json(FillingConfig())


def config_text(config: dict[str, Any]) -> str:
    """A config mapping as YAML text (keys in their order), as the template editor shows it."""
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def validate_template_config(
    config: dict | bytes | str | FillingConfig, *, filename: str | None = None
) -> dict[str, Any]:
    """Validate a config (mapping, or YAML/JSON text or bytes; ``filename`` tells JSON by
    its suffix) and return its normalised JSON form.

    Raises:
        InputError: every problem (unknown key, bad value, unreadable text).
    """
    if isinstance(config, FillingConfig):
        return config_to_json(config)
    if isinstance(config, str):
        config = config.encode("utf-8")
    return config_to_json(parse_config(config, filename=filename))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("a template needs a name")
    if len(name) > MAX_NAME:
        raise InputError(f"template names are at most {MAX_NAME} characters")
    return name


def create_template(
    db: Db,
    *,
    user: Any,
    name: str,
    config: dict | bytes | str | FillingConfig,
    description: str = "",
    is_shared: bool = False,
    is_default: bool = False,
) -> int:
    """Validate and store a template; returns its id.

    Raises:
        InputError: no name, or a bad config. DuplicateName: the user has that name already.
    """
    name = _clean_name(name)
    data = validate_template_config(config)
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        template = template_repo.create_template(
            session, owner_id=owner.id, name=name, description=description or "", config=data,
            is_shared=is_shared, is_default=is_default,
        )
        return template.id


def update_template(
    db: Db,
    *,
    user: Any,
    template_id: int,
    name: str | None = None,
    description: str | None = None,
    config: dict | bytes | str | FillingConfig | None = None,
    is_shared: bool | None = None,
) -> TemplateView:
    """Edit one of the user's templates (``None`` = leave unchanged); returns it.

    Raises:
        NotFound: not theirs (shared templates of others included). InputError, DuplicateName.
    """
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = _clean_name(name)
    if description is not None:
        fields["description"] = description
    if config is not None:
        fields["config"] = validate_template_config(config)
    if is_shared is not None:
        fields["is_shared"] = is_shared
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        return TemplateView.of(template_repo.update_template(session, owner_id=owner.id, template_id=template_id, **fields))


def share_template(db: Db, *, user: Any, template_id: int, shared: bool = True) -> TemplateView:
    """Share (or stop sharing) one of the user's templates with all users."""
    return update_template(db, user=user, template_id=template_id, is_shared=shared)


def duplicate_template(db: Db, *, user: Any, template_id: int, new_name: str | None = None) -> int:
    """Copy a template the user can read (own or shared) into a new private one of theirs
    ("<name> (copy)", numbered when taken); returns its id. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        source = template_repo.get_template(session, user_id=owner.id, template_id=template_id)
        if source is None:
            raise NotFound(f"template {template_id} not found")
        if new_name:
            name = _clean_name(new_name)
        else:
            base = f"{source.name} (copy)"[:240]
            name, n = base, 2
            while template_repo.template_name_exists(session, owner_id=owner.id, name=name):
                name, n = f"{base} {n}", n + 1
        copy = template_repo.create_template(
            session, owner_id=owner.id, name=name, description=source.description, config=dict(source.config)
        )
        return copy.id


def delete_template(db: Db, *, user: Any, template_id: int) -> bool:
    """Delete one of the user's templates; ``False`` when there was none."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        return template_repo.delete_template(session, owner_id=owner.id, template_id=template_id)


def set_default_template(db: Db, *, user: Any, template_id: int | None) -> None:
    """Make one of the user's templates their default (``None`` clears it). One per user."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        template_repo.set_default_template(session, owner_id=owner.id, template_id=template_id)


def get_template(db: Db, *, user: Any, template_id: int) -> TemplateView | None:
    """A template the user can read (own or shared), or ``None``."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        row = template_repo.get_template(session, user_id=owner.id, template_id=template_id)
        return TemplateView.of(row) if row is not None else None


def get_default_template(db: Db, *, user: Any) -> TemplateView | None:
    """The user's default template, or ``None``."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        row = template_repo.get_default_template(session, owner_id=owner.id)
        return TemplateView.of(row) if row is not None else None


def list_templates(db: Db, *, user: Any, **filters: Any) -> Page[TemplateView]:
    """A page of the templates the user can read (own and shared)."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        return page_of(template_repo.list_templates(session, user_id=owner.id, **filters), TemplateView.of)


def template_config(template: TemplateView) -> FillingConfig:
    """The :class:`FillingConfig` of a stored template."""
    return parse_config(dict(template.config))
