"""Config template repository on SQLite and Postgres: unique names, one default, sharing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.db.engine import session_scope
from webapp.db.models import ConfigTemplate
from webapp.db.repos import templates as template_repo
from webapp.db.repos.base import DuplicateName, NotFound


def test_templates_unique_name_default_and_sharing(engine, alice, bob):
    with session_scope(engine) as s:
        t1 = template_repo.create_template(s, owner_id=alice.id, name="Std", config={"clean_hours": 24})
        t2 = template_repo.create_template(
            s, owner_id=alice.id, name="Fast", config={}, is_default=True, is_shared=True
        )
        with pytest.raises(DuplicateName):
            template_repo.create_template(s, owner_id=alice.id, name="Std", config={})
        # another user may use the same name
        template_repo.create_template(s, owner_id=bob.id, name="Std", config={})
    with session_scope(engine) as s:
        assert template_repo.get_default_template(s, owner_id=alice.id).id == t2.id
        template_repo.set_default_template(s, owner_id=alice.id, template_id=t1.id)
    with session_scope(engine) as s:
        defaults = s.exec(
            sa.select(ConfigTemplate.id).where(
                ConfigTemplate.owner_id == alice.id, ConfigTemplate.is_default
            )
        ).all()
        assert [d[0] for d in defaults] == [t1.id]
        page = template_repo.list_templates(s, user_id=alice.id)
        assert [t.name for t in page.items] == ["Std", "Fast"]  # default first
        with pytest.raises(DuplicateName):
            template_repo.update_template(s, owner_id=alice.id, template_id=t2.id, name="Std")
    with session_scope(engine) as s:
        upd = template_repo.update_template(
            s, owner_id=alice.id, template_id=t2.id, name="Faster", description="d"
        )
        assert upd.name == "Faster" and upd.description == "d"
        # bob sees his own and alice's shared template, own first
        names = [(t.owner_id, t.name) for t in template_repo.list_templates(s, user_id=bob.id).items]
        assert names == [(bob.id, "Std"), (alice.id, "Faster")]
        assert template_repo.list_templates(s, user_id=bob.id, only_own=True).total == 1
        template_repo.set_default_template(s, owner_id=alice.id, template_id=None)
    with session_scope(engine) as s:
        assert template_repo.get_default_template(s, owner_id=alice.id) is None
        assert template_repo.delete_template(s, owner_id=alice.id, template_id=t1.id)
        assert not template_repo.delete_template(s, owner_id=alice.id, template_id=t1.id)


def test_one_default_per_user_enforced_by_database(engine, alice):
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(ConfigTemplate(owner_id=alice.id, name="a", config={}, is_default=True))
        s.add(ConfigTemplate(owner_id=alice.id, name="b", config={}, is_default=True))
        s.flush()



def test_template_name_exists_and_missing_templates(engine, alice, bob):
    with session_scope(engine) as s:
        t = template_repo.create_template(s, owner_id=alice.id, name="Std", config={})
    with session_scope(engine) as s:
        assert template_repo.template_name_exists(s, owner_id=alice.id, name="Std")
        assert not template_repo.template_name_exists(s, owner_id=alice.id, name="Std", exclude_id=t.id)
        assert not template_repo.template_name_exists(s, owner_id=bob.id, name="Std")
        assert template_repo.get_template(s, user_id=bob.id, template_id=t.id) is None
        with pytest.raises(NotFound):
            template_repo.update_template(s, owner_id=bob.id, template_id=t.id, name="x")
        with pytest.raises(NotFound):
            template_repo.set_default_template(s, owner_id=alice.id, template_id=t.id + 1000)
        # renaming to its own name is no conflict; only the fields passed change
        same = template_repo.update_template(s, owner_id=alice.id, template_id=t.id, name="Std", is_shared=1)
        assert same.name == "Std" and same.is_shared is True and same.config == {}


def test_list_templates_without_shared_and_by_name(engine, alice, bob):
    with session_scope(engine) as s:
        template_repo.create_template(s, owner_id=alice.id, name="Shared one", config={}, is_shared=True)
        template_repo.create_template(s, owner_id=bob.id, name="Mine", config={})
    with session_scope(engine) as s:
        assert [t.name for t in template_repo.list_templates(s, user_id=bob.id).items] == ["Mine", "Shared one"]
        assert template_repo.list_templates(s, user_id=bob.id, include_shared=False).total == 1
        assert [t.name for t in template_repo.list_templates(s, user_id=bob.id, name_contains="SHARED").items] == [
            "Shared one"
        ]
