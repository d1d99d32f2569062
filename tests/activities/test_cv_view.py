"""The guide's CV module: a sidebar entry and a list of the CV documents with their client (a
link), the date the CV was received and the client's "CV up to date", in English and in French;
other documents are not listed; users without the documents permission get a 403."""

import re
from datetime import date

import pytest

from kernel.db import db
from plugins.activities.models import DocumentLink
from tests.activities.helpers import create


@pytest.fixture
def cvs(staff):
    aputi = create("client", {"first_name": "Aputi", "last_name": "Kilabuk", "cv_up_to_date": True}, staff)
    jean = create("client", {"first_name": "Jean", "last_name": "Tremblay"}, staff)
    for name, category, client, received in (("CV Aputi", "cv", aputi, date(2026, 12, 3)),
                                             ("CV Jean", "cv", jean, None),
                                             ("Contrat Aputi", "contract", aputi, None)):
        document = create("document", {"name": name, "category": category}, staff)
        document.cv_date = received
        db.session.add(DocumentLink(document_id=document.id, related=f"client:{client.id}"))
    db.session.commit()
    return aputi, jean


def rows(page: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize("language, expected", [
    ("en", ["CV Aputi Aputi Kilabuk Dec 3, 2026 Yes", "CV Jean Jean Tremblay — No"]),
    ("fr", ["CV Aputi Aputi Kilabuk 3 déc. 2026 Oui", "CV Jean Jean Tremblay — Non"]),
])
def test_the_cv_list_shows_client_date_and_cv_up_to_date(make_user, login_as, cvs, language, expected):
    browser = login_as(make_user("staff", email=f"cv-{language}@example.org", language=language))
    page = browser.get("/activities/cvs/").get_data(as_text=True)
    assert rows(page) == expected
    assert f'href="/clients/{cvs[0].id}"' in page
    assert "Contrat Aputi" not in page


def test_the_sidebar_has_a_cv_entry(staff_client, cvs):
    sidebar = re.search(r'id="module-list".*?</ul>\s*</nav>', staff_client.get("/").get_data(as_text=True), re.S)
    assert re.search(r'<a class="module-link" href="/activities/cvs/">.*?CVs</a>', sidebar.group(0))


def test_without_the_documents_permission_it_is_refused(make_user, login_as, monkeypatch):
    from kernel.users import User

    user = make_user("staff", email="nodocs@example.org")
    can = User.can
    monkeypatch.setattr(User, "can", lambda self, permission: permission != "documents.view" and can(self, permission))
    assert login_as(user).get("/activities/cvs/").status_code == 403
