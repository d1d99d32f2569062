"""A starter set of bilingual synonym groups for common needs: "nourriture" finds a food bank
described in English, "shelter" a "refuge"; loaded by a migration (new and existing instances),
with the demo data and by ``passerelle directory load-synonyms``, never over an
administrator's groups; administrators edit them (issue 16 §3)."""

from sqlalchemy import delete, func, insert, select

from kernel.db import db
from plugins.directory import index
from plugins.directory.cli import load_synonyms
from plugins.directory.models import synonym_groups
from plugins.directory.starter_synonyms import STARTER_GROUPS
from tests.contactcenter.helpers import make_resource
from tests.directory.helpers import names_in, search


def groups() -> list[str]:
    return list(db.session.scalars(select(synonym_groups.c.words).order_by(synonym_groups.c.id)))


def test_the_command_loads_the_starter_groups_once(app):
    db.session.execute(delete(synonym_groups))
    db.session.commit()
    result = app.test_cli_runner().invoke(load_synonyms)
    assert result.exit_code == 0 and f"added: {len(STARTER_GROUPS)}" in result.output
    assert len(groups()) == len(STARTER_GROUPS) >= 20
    assert "Nothing added" in app.test_cli_runner().invoke(load_synonyms).output
    assert len(groups()) == len(STARTER_GROUPS)


def test_an_administrators_groups_are_kept(app):
    db.session.execute(delete(synonym_groups))
    db.session.execute(insert(synonym_groups).values(words="aréna, arena"))
    db.session.commit()
    app.test_cli_runner().invoke(load_synonyms)
    assert groups() == ["aréna, arena"]


def test_starter_groups_join_french_and_english_needs(app, admin_client):
    db.session.execute(delete(synonym_groups))
    db.session.commit()
    app.test_cli_runner().invoke(load_synonyms)
    pantry = make_resource("Community pantry", None, description="Free groceries for families.")
    shelter = make_resource("Maison Inuusiq", None, description="Refuge pour la nuit.")
    index.rebuild([pantry.id, shelter.id])
    db.session.commit()
    assert names_in(search(admin_client, q="nourriture")) == ["Community pantry"]
    assert names_in(search(admin_client, q="banque alimentaire")) == ["Community pantry"]
    assert names_in(search(admin_client, q="shelter")) == ["Maison Inuusiq"]
    page = admin_client.get("/admin/directory/synonyms").get_data(as_text=True)
    assert "nourriture, food" in page
    group_id = db.session.scalar(select(synonym_groups.c.id).where(synonym_groups.c.words.like("nourriture%")))
    admin_client.post(f"/admin/directory/synonyms/{group_id}/delete")
    assert db.session.scalar(select(func.count()).select_from(synonym_groups)) == len(STARTER_GROUPS) - 1
    assert names_in(search(admin_client, q="nourriture")) == []
