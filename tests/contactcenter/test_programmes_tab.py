"""The Programmes tab: intake surveys the organisation defines (questions of several kinds,
required or not) and enrolment in the programmes plugin's programmes."""

from sqlalchemy import select

from kernel.db import db
from plugins.contactcenter.models import Enrolment, Survey, SurveyQuestion, SurveyResponse
from plugins.programs.models import Programme
from tests.contactcenter.helpers import fresh, make_contact, make_profile


def make_survey():
    survey = Survey(name="Intake", name_fr="Accueil", required_to_close=False)
    db.session.add(survey)
    db.session.flush()
    questions = [
        SurveyQuestion(survey_id=survey.id, label="How did you hear about us?", label_fr="Comment nous avez-vous connus ?",
                       kind="choice", options="Friend, Internet, Other", required=True, position=1),
        SurveyQuestion(survey_id=survey.id, label="Household size", kind="integer", position=2),
        SurveyQuestion(survey_id=survey.id, label="Has children", kind="yes_no", position=3),
        SurveyQuestion(survey_id=survey.id, label="Arrival date", kind="date", position=4),
        SurveyQuestion(survey_id=survey.id, label="Situation", kind="longtext", position=5),
    ]
    db.session.add_all(questions)
    db.session.commit()
    return survey.id, [question.id for question in questions]


def test_the_survey_is_shown_with_its_questions_in_the_users_language(app, staff, make_user, login_as):
    make_survey()
    contact = make_contact(staff, profile=make_profile(staff))
    francophone = login_as(make_user("staff", email="fr@example.org", language="fr"))
    page = francophone.get(f"/contactcenter/contacts/{contact.id}?tab=programmes").get_data(as_text=True)
    assert "Comment nous avez-vous connus ?" in page and "Internet" in page and 'type="date"' in page


def test_answers_are_checked_and_saved_and_the_survey_is_complete_once_required_ones_are_given(app, staff,
                                                                                              staff_client):
    survey_id, (source, size, children, arrival, situation) = make_survey()
    contact = make_contact(staff, profile=make_profile(staff))
    url = f"/contactcenter/contacts/{contact.id}/surveys/{survey_id}"
    bad = staff_client.post(url, data={f"q{source}": "Radio", f"q{size}": "three", f"q{children}": "maybe",
                                       f"q{arrival}": "yesterday"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    for message in ("Choose one of the options offered", "Give a whole number", "Answer yes or no", "Give a date"):
        assert message in text
    assert db.session.scalar(select(SurveyResponse.id)) is None
    staff_client.post(url, data={f"q{size}": "3", f"q{children}": "yes"})
    response = db.session.scalar(select(SurveyResponse))
    assert response.complete is False and response.answers == {str(size): 3, str(children): "yes"}
    staff_client.post(url, data={f"q{source}": "Internet", f"q{size}": "3", f"q{arrival}": "2026-11-02",
                                 f"q{situation}": "New in town."})
    response = fresh(SurveyResponse, response.id)
    assert response.complete is True and response.answers[str(arrival)] == "2026-11-02"


def test_a_caller_is_enrolled_in_a_programme(app, staff, staff_client):
    programme = Programme(name_fr="Aide à l'emploi", name_en="Employment help", active=True)
    db.session.add(programme)
    db.session.commit()
    programme_id = programme.id
    contact = make_contact(staff, profile=make_profile(staff))
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=programmes").get_data(as_text=True)
    assert "Employment help" in page
    assert staff_client.post(f"/contactcenter/contacts/{contact.id}/enrolments",
                             data={"programme_id": "999"}).status_code == 302
    assert db.session.scalar(select(Enrolment.id)) is None
    staff_client.post(f"/contactcenter/contacts/{contact.id}/enrolments", data={"programme_id": programme_id,
                                                                          "note": "Starts Monday"})
    enrolment = db.session.scalar(select(Enrolment))
    assert (enrolment.programme_id, enrolment.note, enrolment.profile_id) == (programme_id, "Starts Monday",
                                                                              fresh(type(contact), contact.id).profile_id)
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=programmes").get_data(as_text=True)
    assert "Employment help" in page[page.index("Programme enrolment"):] and "Starts Monday" in page


def test_without_the_programmes_module_enrolment_is_not_offered(make_app, make_user):
    app = make_app(PASSERELLE_PLUGINS="directory,contactcenter")
    with app.app_context():
        from tests.conftest import login

        staff = make_user_in(app)
        contact = make_contact(staff, profile=make_profile(staff))
        page = login(app.test_client(), staff).get(f"/contactcenter/contacts/{contact.id}?tab=programmes").get_data(
            as_text=True)
        assert "Programme enrolment needs the programmes module." in page


def make_user_in(app):
    from kernel.users import User
    from tests.conftest import TEST_PASSWORD

    user = User(email="solo@example.org", name="Solo Agent", role="staff", language="en")
    user.set_password(TEST_PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def test_an_evening_enrolment_is_dated_that_day(app, staff, staff_client, freeze_clock):
    freeze_clock("2026-12-03 19:55", "America/Iqaluit")
    programme = Programme(name_fr="Aide à l'emploi", name_en="Employment help", active=True)
    db.session.add(programme)
    db.session.commit()
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/enrolments", data={"programme_id": programme.id})
    assert str(db.session.scalar(select(Enrolment.enrolled_on))) == "2026-12-03"
