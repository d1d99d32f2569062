"""Partner accounts (issue 20): an account of a partner organisation (role "partner", linked by an
administrator to one directory agency) sees only the warm referrals sent to that agency and answers
them like the secure-link page; every other page answers 403."""


import pytest
from sqlalchemy import select

from kernel.access_log import RecordRead
from kernel.db import db, utcnow
from plugins.contactcenter.warm_referrals.models import PartnerAccount, WarmReferral, WarmReferralEvent
from plugins.directory.capacity.models import Capacity
from plugins.directory.models import Agency, Resource
from tests.contactcenter.helpers import make_contact, make_profile
from tests.contactcenter.test_warm_referrals import referral, sent_link, warm_row  # noqa: F401  fixture
from tests.statements import statements_sent


@pytest.fixture
def partner(make_user):
    return make_user("partner", email="intake@help.example.org", name="Paula Partner")


@pytest.fixture
def warm(staff, staff_client, referral):  # noqa: F811
    sent_link(staff, staff_client, referral)
    return warm_row()


@pytest.fixture
def partner_client(partner, warm, login_as):
    db.session.add(PartnerAccount(user_id=partner.id, agency_id=warm.agency_id, created_at=utcnow()))
    db.session.commit()
    return login_as(partner)


def other_agency_warm(staff) -> WarmReferral:
    """A warm referral sent to another agency (rows written directly)."""
    from plugins.contactcenter.models import Referral

    other = Agency(name="Other agency", email="other@example.org")
    db.session.add(other)
    db.session.flush()
    resource = Resource(name="Food bank", organization_id=other.id)
    db.session.add(resource)
    db.session.flush()
    contact = make_contact(staff, profile=make_profile(staff, name="Zoé Autre"))
    made = Referral(contact_id=contact.id, resource_id=resource.id)
    db.session.add(made)
    db.session.flush()
    row = WarmReferral(referral_id=made.id, contact_id=contact.id, agency_id=other.id, email="other@example.org",
                       language="fr", sent_at=utcnow(), status="sent")
    db.session.add(row)
    db.session.commit()
    return row


# -- linking --------------------------------------------------------------------------------------
def test_an_administrator_links_and_unlinks_a_partner_account(admin_client, partner, warm):
    page = admin_client.get(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts")
    assert page.status_code == 200 and "Paula Partner" in page.get_data(as_text=True)
    answer = admin_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts",
                               data={"user_id": partner.id}, follow_redirects=True)
    assert answer.status_code == 200 and "now sees the referrals" in answer.get_data(as_text=True)
    assert db.session.scalar(select(PartnerAccount.agency_id).where(PartnerAccount.user_id == partner.id)) == warm.agency_id
    again = admin_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts", data={"user_id": partner.id})
    assert again.status_code == 409
    gone = admin_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts/{partner.id}/remove")
    assert gone.status_code == 302
    assert db.session.scalar(select(PartnerAccount)) is None


def test_the_agency_page_offers_the_partner_accounts_to_administrators_only(admin_client, staff_client, warm):
    link = f"/contactcenter/agencies/{warm.agency_id}/partner-accounts"
    assert link in admin_client.get(f"/agencies/{warm.agency_id}").get_data(as_text=True)
    assert link not in staff_client.get(f"/agencies/{warm.agency_id}").get_data(as_text=True)


def test_only_an_administrator_links_accounts(staff_client, partner, warm):
    assert staff_client.get(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts").status_code == 403
    assert staff_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts",
                             data={"user_id": partner.id}).status_code == 403
    assert db.session.scalar(select(PartnerAccount)) is None


@pytest.mark.parametrize("value", ["", "abc", "٣", "99999999999999", "-1", "1' OR 1=1"])
def test_linking_hostile_input_is_refused(admin_client, staff, warm, value):
    answer = admin_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts", data={"user_id": value})
    assert answer.status_code == 422


def test_only_a_partner_role_account_can_be_linked(admin_client, staff, warm):
    answer = admin_client.post(f"/contactcenter/agencies/{warm.agency_id}/partner-accounts", data={"user_id": staff.id})
    assert answer.status_code == 422 and db.session.scalar(select(PartnerAccount)) is None
    assert admin_client.get("/contactcenter/agencies/999999/partner-accounts").status_code == 404


# -- the queue ------------------------------------------------------------------------------------
def test_the_partner_lands_on_its_queue_and_sees_only_its_agency(staff, partner_client, warm):
    other = other_agency_warm(staff)
    home = partner_client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/contactcenter/partner/referrals")
    page = partner_client.get("/contactcenter/partner/referrals").get_data(as_text=True)
    assert "Referrals to my organisation" in page and "Night shelter" in page
    assert f'data-warm="{warm.id}"' in page and f'data-warm="{other.id}"' not in page and "Food bank" not in page
    assert "Émile" not in page  # the list shows no name: the referral's page shows the minimum
    assert partner_client.get(f"/contactcenter/partner/referrals/{other.id}").status_code == 404
    assert partner_client.post(f"/contactcenter/partner/referrals/{other.id}/accept").status_code == 404
    assert partner_client.get("/contactcenter/partner/referrals/999999").status_code == 404


def test_the_queue_filters_by_status_and_pages(partner_client, warm):
    assert f'data-warm="{warm.id}"' in partner_client.get("/contactcenter/partner/referrals?status=waiting").get_data(as_text=True)
    assert f'data-warm="{warm.id}"' not in partner_client.get("/contactcenter/partner/referrals?status=closed").get_data(as_text=True)
    for query in ("status=<script>", "page=abc", "page=-3", "page=٣", "page=99999999999999999", "status=all&page=2"):
        assert partner_client.get(f"/contactcenter/partner/referrals?{query}").status_code in (200, 400)


def test_the_menu_shows_only_the_queue(partner_client):
    page = partner_client.get("/contactcenter/partner/referrals").get_data(as_text=True)
    assert "/contactcenter/partner/referrals" in page
    for other in ('href="/contactcenter/warm-referrals"', 'href="/clients', 'href="/directory', 'href="/reports'):
        assert other not in page


@pytest.mark.parametrize("path", ["/clients", "/contactcenter/warm-referrals", "/contactcenter/start", "/directory",
                                  "/reports", "/api/v1/clients", "/search?q=a", "/profile", "/admin/users",
                                  "/agencies", "/notifications"])
def test_every_other_page_answers_403(partner_client, path):
    assert partner_client.get(path).status_code == 403


def test_an_unlinked_partner_account_sees_nothing(make_user, login_as, warm):
    client = login_as(make_user("partner", email="lost@example.org"))
    assert client.get("/contactcenter/partner/referrals").status_code == 403
    assert client.get(f"/contactcenter/partner/referrals/{warm.id}").status_code == 403


def test_the_queue_reads_no_row_one_by_one(staff, staff_client, partner_client, warm):
    with statements_sent() as one:
        partner_client.get("/contactcenter/partner/referrals?status=all")
    agency = db.session.get(Agency, warm.agency_id)
    resource = db.session.scalar(select(Resource).where(Resource.organization_id == agency.id))
    from plugins.contactcenter.models import Referral

    for n in range(5):
        contact = make_contact(staff, profile=make_profile(staff, name=f"Person {n}"))
        made = Referral(contact_id=contact.id, resource_id=resource.id)
        db.session.add(made)
        db.session.flush()
        db.session.add(WarmReferral(referral_id=made.id, contact_id=contact.id, agency_id=agency.id, email="x@y.org",
                                    language="fr", sent_at=utcnow(), status="sent"))
    db.session.commit()
    with statements_sent() as six:
        page = partner_client.get("/contactcenter/partner/referrals?status=all").get_data(as_text=True)
    assert page.count('class="warm-row"') == 6 and len(six) == len(one)


# -- the answers ----------------------------------------------------------------------------------
def test_the_partner_accepts_and_reports_the_outcome_recorded_in_history_and_access_log(partner, partner_client, warm):
    page = partner_client.get(f"/contactcenter/partner/referrals/{warm.id}").get_data(as_text=True)
    assert "Émile" in page and "12 Secret Street" not in page and "Accept the referral" in page
    assert db.session.scalar(select(RecordRead).where(RecordRead.via == "partner_account",
                                                      RecordRead.user_id == partner.id)) is not None
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/accept").status_code == 302
    answer = partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/outcome",
                                 data={"outcome": "helped", "note": "Housed"}, follow_redirects=True)
    assert "your answer is recorded" in answer.get_data(as_text=True)
    row = warm_row()
    assert row.status == "closed" and row.outcome == "helped"
    kinds = {(one.kind, one.by_user_id) for one in db.session.scalars(select(WarmReferralEvent))}
    assert {("opened", None), ("accepted", partner.id), ("outcome", partner.id)} <= kinds


def test_the_partner_declines_with_a_reason_and_bad_input_is_a_4xx(partner_client, warm):
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/decline",
                               data={"reason": "<b>"}).status_code == 422
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/decline",
                               data={"reason": "other", "note": "x" * 3000}).status_code == 422
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/outcome",
                               data={"outcome": "helped"}).status_code == 409  # not accepted
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/decline",
                               data={"reason": "full"}).status_code == 302
    assert warm_row().status == "declined" and warm_row().decline_reason == "full"
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/accept").status_code == 409


def test_the_partner_sets_its_programmes_capacity(partner, partner_client, warm, staff):
    resource = db.session.scalar(select(Resource).where(Resource.organization_id == warm.agency_id))
    bad = partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/capacity/{resource.id}",
                              data={"accepting": "maybe", "open_spots": "abc"})
    assert bad.status_code == 422
    other = other_agency_warm(staff)
    foreign = db.session.scalar(select(Resource).where(Resource.organization_id == other.agency_id))
    assert partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/capacity/{foreign.id}",
                               data={"accepting": "yes"}).status_code == 404
    fine = partner_client.post(f"/contactcenter/partner/referrals/{warm.id}/capacity/{resource.id}",
                               data={"accepting": "no", "open_spots": "0"})
    assert fine.status_code == 302
    assert db.session.scalar(select(Capacity).where(Capacity.service_id == resource.id)) is not None
    assert db.session.scalar(select(WarmReferralEvent).where(WarmReferralEvent.kind == "capacity")).by_user_id == partner.id


def test_the_pages_speak_french(make_user, login_as, warm):
    french = make_user("partner", email="accueil@example.org", language="fr")  # the account's language
    db.session.add(PartnerAccount(user_id=french.id, agency_id=warm.agency_id, created_at=utcnow()))
    db.session.commit()
    partner_client = login_as(french)
    page = partner_client.get("/contactcenter/partner/referrals").get_data(as_text=True)
    assert "Orientations vers mon organisme" in page
    page = partner_client.get(f"/contactcenter/partner/referrals/{warm.id}").get_data(as_text=True)
    assert "Accepter l’orientation" in page and "Retour aux orientations vers mon organisme" in page



def test_an_administrator_sees_what_the_partner_sees_without_opening_it(admin_client, warm):
    page = admin_client.get("/contactcenter/partner/referrals")
    assert page.status_code == 200 and "yours is not such an account" in page.get_data(as_text=True)
    assert admin_client.get(f"/contactcenter/partner/referrals/{warm.id}").status_code == 200
    assert warm_row().status == "sent"  # not marked opened by the administrator


def test_ids_out_of_range_are_a_404(partner_client, admin_client):
    big = "99999999999999999999"
    assert partner_client.get(f"/contactcenter/partner/referrals/{big}").status_code == 404
    assert partner_client.post(f"/contactcenter/partner/referrals/{big}/capacity/{big}").status_code == 404
    assert admin_client.get(f"/contactcenter/agencies/{big}/partner-accounts").status_code == 404
    assert admin_client.post(f"/contactcenter/agencies/1/partner-accounts/{big}/remove").status_code == 404
