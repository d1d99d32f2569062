"""Opening hours in the reader's language, not recurrence codes (issue 16 §3): "Mon–Fri, 11 am–1 pm"
and "lun. au ven., 11 h à 13 h" on result cards, the resource page, the referral e-mail and the
public page a referral's SMS links to."""

import re

from flask_babel import force_locale
from sqlalchemy import insert, select

from kernel.db import db
from kernel.outbox import OutboxMessage
from plugins.contactcenter.models import Referral
from plugins.directory import index
from plugins.directory.hours import hours_text
from plugins.directory.models import schedules
from tests.contactcenter.helpers import make_contact, make_profile, make_resource, make_term

WEEKDAYS_LUNCH = {"byday": "MO,TU,WE,TH,FR", "opens_at": "11:00", "closes_at": "13:00"}


def test_weekly_hours_read_as_words_in_both_languages(app):
    saturday = {"byday": "SA", "opens_at": "09:30:00", "closes_at": "12:00:00"}
    odd_days = {"byday": "MO,WE,FR", "opens_at": "18:00", "closes_at": "21:15"}
    every_day = {"freq": "WEEKLY", "byday": "", "opens_at": "00:00", "closes_at": "23:59"}
    with force_locale("en"):
        assert hours_text([WEEKDAYS_LUNCH, saturday]) == ["Mon–Fri, 11 am–1 pm", "Sat, 9:30 am–12 pm"]
        assert hours_text([odd_days]) == ["Mon, Wed, Fri, 6 pm–9:15 pm"]
        assert hours_text([every_day]) == ["Every day of the week, 12 am–11:59 pm"]
    with force_locale("fr"):
        assert hours_text([WEEKDAYS_LUNCH, saturday]) == ["lun. au ven., 11 h à 13 h", "sam., 9 h 30 à 12 h"]
        assert hours_text([every_day]) == ["tous les jours, 0 h à 23 h 59"]


def test_same_hours_of_several_schedules_are_told_once(app):
    monday = {"byday": "MO", "opens_at": "09:00", "closes_at": "17:00"}
    tuesday = {"byday": "TU", "opens_at": "09:00", "closes_at": "17:00"}
    with force_locale("en"):
        assert hours_text([monday, tuesday]) == ["Mon, Tue, 9 am–5 pm"]


def test_cards_and_resource_page_show_them(app, make_user, login_as):
    resource = make_resource("Soup kitchen", make_term("BD-5000", "Meals", "Repas"), name_fr="Soupe populaire")
    db.session.execute(insert(schedules).values(service_id=resource.id, **WEEKDAYS_LUNCH))
    index.rebuild([resource.id])
    db.session.commit()
    for language, expected in (("en", "Mon–Fri, 11 am–1 pm"), ("fr", "lun. au ven., 11 h à 13 h")):
        client = login_as(make_user(language=language))
        card = client.get("/resources/search?q=soup").get_data(as_text=True)
        page = client.get(f"/resources/{resource.id}/full").get_data(as_text=True)
        assert expected in card and expected in page, language
        assert "MO,TU" not in card + page


def test_the_referral_e_mail_and_the_public_sms_page_use_the_callers_language(app, staff, staff_client):
    resource = make_resource("Soup kitchen", make_term("BD-5000", "Meals", "Repas"), name_fr="Soupe populaire")
    db.session.execute(insert(schedules).values(service_id=resource.id, **WEEKDAYS_LUNCH))
    db.session.commit()
    profile = make_profile(staff, email="aputi@example.org", preferred_language="fr")
    contact = make_contact(staff, profile=profile)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/email")
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    email, sms = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert "lun. au ven., 11 h à 13 h" in email.body
    token = re.search(r"/r/(\S+)", sms.body).group(1)
    assert "lun. au ven., 11 h à 13 h" in app.test_client().get(f"/contactcenter/r/{token}").get_data(as_text=True)
