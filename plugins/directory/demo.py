"""Demonstration directory: a few dozen services in Nunavut communities, in English and French,
with places (coordinates), phones, hours, service areas, service types and languages, so that a
new agent's first search finds something. Every organisation and service name is invented."""

from __future__ import annotations

from sqlalchemy import insert

from kernel.toolkit import fold
from plugins.directory import index
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    languages,
    phones,
    schedules,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from plugins.directory.search import phone_digits
from plugins.directory.starter_synonyms import load_starter_synonyms

# code: (English, French)
TYPES = {
    "BD": ("Basic needs", "Besoins essentiels"),
    "BD-1800": ("Food", "Alimentation"),
    "BD-1800.2000": ("Food banks", "Banques alimentaires"),
    "BD-5000": ("Meals", "Repas"),
    "BH": ("Housing", "Logement"),
    "BH-1800": ("Emergency shelter", "Hébergement d'urgence"),
    "BH-8000": ("Housing help", "Aide au logement"),
    "BM-6500": ("Clothing", "Vêtements"),
    "LF": ("Health care", "Soins de santé"),
    "RP": ("Mental health and counselling", "Santé mentale et counselling"),
    "RP-1400": ("Crisis lines", "Lignes de crise"),
    "RX": ("Addictions", "Dépendances"),
    "FT": ("Legal help", "Aide juridique"),
    "ND": ("Employment and training", "Emploi et formation"),
    "NL": ("Income support", "Soutien du revenu"),
    "PH": ("Family and children", "Famille et enfance"),
    "PH-7000": ("Elders", "Aînés"),
    "TH": ("Transportation", "Transport"),
}

# name: (postal code, latitude, longitude, area code and exchange)
COMMUNITIES = {
    "Iqaluit": ("X0A 0H0", 63.7467, -68.5170, "867-979"),
    "Rankin Inlet": ("X0C 0G0", 62.8084, -92.0853, "867-645"),
    "Cambridge Bay": ("X0B 0C0", 69.1169, -105.0597, "867-983"),
    "Pangnirtung": ("X0A 0R0", 66.1466, -65.7012, "867-473"),
    "Arviat": ("X0C 0E0", 61.1078, -94.0583, "867-857"),
    "Baker Lake": ("X0C 0A0", 64.3176, -96.0220, "867-793"),
    "Igloolik": ("X0A 0L0", 69.3762, -81.7997, "867-934"),
    "Pond Inlet": ("X0A 0S0", 72.6994, -77.9590, "867-899"),
    "Kugluktuk": ("X0B 0E0", 67.8264, -115.0931, "867-982"),
    "Kinngait": ("X0A 0C0", 64.2300, -76.5400, "867-897"),
}

WEEKDAYS, EVERY_DAY = "MO,TU,WE,TH,FR", "MO,TU,WE,TH,FR,SA,SU"

# (community, agency, name, name_fr, description, description_fr, type, phone's last four digits,
#  hours [(days, opens, closes)], languages, address)
SERVICES = [
    ("Iqaluit", "Qajaq Community Pantry Society", "Iqaluit food bank", "Banque alimentaire d'Iqaluit",
     "Grocery hampers for families and individuals, once a week; country food when available.",
     "Paniers d'épicerie pour les familles et les personnes seules, une fois par semaine\u00a0; aliments "
     "traditionnels selon l'arrivage.", "BD-1800.2000", "5555", [(WEEKDAYS, "11:00", "13:00")],
     ("iu", "en", "fr"), "1412 Niaqunngusiariaq Road"),
    ("Iqaluit", "Qajaq Community Pantry Society", "Warm meals at the Tupiq hall", "Repas chauds à la salle Tupiq",
     "A hot lunch every weekday, open to all, no questions asked.",
     "Un dîner chaud chaque jour de semaine, ouvert à tous, sans questions.", "BD-5000", "5556",
     [(WEEKDAYS, "11:30", "13:30")], ("iu", "en"), "1412 Niaqunngusiariaq Road"),
    ("Iqaluit", "Aniqsaaq Shelter Network", "Aniqsaaq men's emergency shelter", "Refuge d'urgence Aniqsaaq pour hommes",
     "Beds for the night, an evening meal and a shower for men 18 and over.",
     "Des lits pour la nuit, un repas du soir et une douche pour les hommes de 18 ans et plus.", "BH-1800", "4210",
     [(EVERY_DAY, "18:00", "23:59")], ("iu", "en"), "211 Queen Elizabeth Way"),
    ("Iqaluit", "Aniqsaaq Shelter Network", "Nuvuk women's shelter", "Maison d'hébergement Nuvuk pour femmes",
     "Safe shelter for women and their children leaving violence; 24-hour line.",
     "Hébergement sécuritaire pour les femmes et leurs enfants qui fuient la violence\u00a0; ligne 24 heures.",
     "BH-1800", "4211", [(EVERY_DAY, "00:00", "23:59")], ("iu", "en", "fr"), "88 Tumiit Crescent"),
    ("Iqaluit", "Nunami Housing Help Centre", "Housing help desk", "Comptoir d'aide au logement",
     "Help with public housing applications, arrears and repairs requests.",
     "Aide pour les demandes de logement public, les arriérés de loyer et les demandes de réparation.", "BH-8000",
     "3302", [(WEEKDAYS, "09:00", "16:30")], ("iu", "en", "fr"), "920 Mivvik Street"),
    ("Iqaluit", "Siqiniq Wellness Society", "Siqiniq counselling service", "Service de counselling Siqiniq",
     "Free short-term counselling for adults and youth, in person or by phone.",
     "Counselling gratuit à court terme pour adultes et jeunes, en personne ou par téléphone.", "RP", "2740",
     [(WEEKDAYS, "09:00", "17:00")], ("iu", "en"), "305 Federal Road"),
    ("Iqaluit", "Siqiniq Wellness Society", "Nunavut-wide crisis line", "Ligne de crise pour tout le Nunavut",
     "Someone to talk to, day and night, in Inuktitut, English or French.",
     "Quelqu'un à qui parler, jour et nuit, en inuktitut, en anglais ou en français.", "RP-1400", "2741",
     [(EVERY_DAY, "00:00", "23:59")], ("iu", "en", "fr"), "305 Federal Road"),
    ("Iqaluit", "Pilimmaksarniq Learning Centre", "Job search and training help", "Aide à la recherche d'emploi et à la formation",
     "Résumés, job postings, training programmes and trades preparation.",
     "CV, offres d'emploi, programmes de formation et préparation aux métiers.", "ND", "6120",
     [(WEEKDAYS, "08:30", "16:30")], ("iu", "en", "fr"), "1085 Mivvik Street"),
    ("Iqaluit", "Inuusiq Legal Clinic", "Free legal clinic", "Clinique juridique gratuite",
     "Advice on family law, tenancy and income support appeals; interpreters on request.",
     "Conseils en droit de la famille, en logement et en appels d'aide au revenu\u00a0; interprètes sur demande.", "FT",
     "1960", [("TU,TH", "13:00", "16:00")], ("iu", "en", "fr"), "612 Sinaa Street"),
    ("Iqaluit", "Ilagiit Family Resource Centre", "Family resource centre", "Centre de ressources pour les familles",
     "Parenting circles, baby clothes exchange and drop-in play for young children.",
     "Cercles de parents, échange de vêtements pour bébés et halte-jeux pour les jeunes enfants.", "PH", "8830",
     [(WEEKDAYS, "10:00", "15:00")], ("iu", "en", "fr"), "47 Apex Road"),
    ("Iqaluit", "Iqaluit Francophone Welcome Centre", "French-language welcome and orientation",
     "Accueil et orientation en français",
     "Help for French-speaking newcomers: services, forms, income support, housing.",
     "Aide aux nouveaux arrivants francophones\u00a0: services, formulaires, aide au revenu, logement.", "NL", "1177",
     [(WEEKDAYS, "09:00", "17:00")], ("fr", "en"), "1036 Tumiit Plaza"),
    ("Rankin Inlet", "Kivalliq Community Pantry", "Rankin Inlet food bank", "Banque alimentaire de Rankin Inlet",
     "Food hampers twice a week; baby formula and diapers.",
     "Paniers alimentaires deux fois par semaine\u00a0; lait maternisé et couches.", "BD-1800.2000", "2315",
     [("TU,TH", "13:00", "16:00")], ("iu", "en"), "Building 512, Sakku Drive"),
    ("Rankin Inlet", "Kivalliq Wellness Circle", "Kivalliq addictions support", "Soutien en dépendances Kivalliq",
     "On-the-land healing programme, support groups and referrals to treatment.",
     "Programme de guérison sur le territoire, groupes de soutien et orientation vers un traitement.", "RX",
     "2390", [(WEEKDAYS, "09:00", "17:00")], ("iu", "en"), "Building 1020, Tupirvik Road"),
    ("Rankin Inlet", "Kivalliq Shelter Society", "Kivalliq emergency shelter", "Refuge d'urgence Kivalliq",
     "Emergency beds for adults; meals and help finding housing.",
     "Lits d'urgence pour adultes\u00a0; repas et aide à trouver un logement.", "BH-1800", "2401",
     [(EVERY_DAY, "17:00", "23:59")], ("iu", "en"), "Building 77, Nuvuk Street"),
    ("Cambridge Bay", "Kitikmeot Helping Hands", "Cambridge Bay community pantry", "Garde-manger communautaire de Cambridge Bay",
     "Groceries for those in need, every Wednesday afternoon.",
     "De l'épicerie pour les personnes dans le besoin, chaque mercredi après-midi.", "BD-1800.2000", "6610",
     [("WE", "13:00", "17:00")], ("ikt", "en"), "Building 22, Omingmak Street"),
    ("Cambridge Bay", "Kitikmeot Helping Hands", "Kitikmeot clothing room", "Comptoir vestimentaire Kitikmeot",
     "Winter parkas, boots and children's clothing, free of charge.",
     "Parkas d'hiver, bottes et vêtements pour enfants, gratuitement.", "BM-6500", "6611",
     [("MO,WE,FR", "13:00", "16:00")], ("ikt", "en"), "Building 22, Omingmak Street"),
    ("Cambridge Bay", "Kitikmeot Elders Council", "Elders' visiting programme", "Programme de visites aux aînés",
     "Weekly visits, help with groceries and errands for elders living alone.",
     "Visites hebdomadaires, aide pour l'épicerie et les courses pour les aînés qui vivent seuls.", "PH-7000",
     "6702", [(WEEKDAYS, "10:00", "16:00")], ("ikt", "en"), "Building 140, Mitik Road"),
    ("Pangnirtung", "Pangnirtung Community Wellness Hall", "Pangnirtung food and meals", "Alimentation et repas à Pangnirtung",
     "Soup lunch on weekdays and a small food bank on Fridays.",
     "Soupe le midi en semaine et une petite banque alimentaire le vendredi.", "BD-1800", "8901",
     [(WEEKDAYS, "11:30", "13:00")], ("iu", "en"), "Building 301, Tuniq Lane"),
    ("Pangnirtung", "Pangnirtung Community Wellness Hall", "Pangnirtung counselling", "Counselling à Pangnirtung",
     "Community counsellors, youth drop-in and grief support.",
     "Conseillers communautaires, halte-accueil pour les jeunes et soutien au deuil.", "RP", "8902",
     [(WEEKDAYS, "09:00", "17:00")], ("iu", "en"), "Building 301, Tuniq Lane"),
    ("Arviat", "Arviat Wellness Society", "Arviat youth and family centre", "Centre jeunesse et famille d'Arviat",
     "After-school programme, parenting help and family counselling.",
     "Programme après l'école, aide aux parents et counselling familial.", "PH", "2044",
     [(WEEKDAYS, "13:00", "20:00")], ("iu", "en"), "Building 640, Ulu Road"),
    ("Arviat", "Arviat Wellness Society", "Arviat food bank", "Banque alimentaire d'Arviat",
     "Groceries and country food for families, Tuesday and Friday.",
     "Épicerie et aliments traditionnels pour les familles, mardi et vendredi.", "BD-1800.2000", "2045",
     [("TU,FR", "14:00", "17:00")], ("iu", "en"), "Building 640, Ulu Road"),
    ("Baker Lake", "Qamani'tuaq Support Services", "Baker Lake housing help", "Aide au logement de Baker Lake",
     "Help with housing applications, heating and power bills.",
     "Aide pour les demandes de logement, les factures de chauffage et d'électricité.", "BH-8000", "3180",
     [(WEEKDAYS, "09:00", "16:00")], ("iu", "en"), "Building 90, Airport Road"),
    ("Baker Lake", "Qamani'tuaq Support Services", "Baker Lake employment office", "Bureau d'emploi de Baker Lake",
     "Mine and trades jobs, training allowances and résumé help.",
     "Emplois dans les mines et les métiers, allocations de formation et aide pour le CV.", "ND", "3181",
     [(WEEKDAYS, "08:30", "16:30")], ("iu", "en"), "Building 90, Airport Road"),
    ("Igloolik", "Igloolik Community Services", "Igloolik income support office", "Bureau d'aide au revenu d'Igloolik",
     "Applications for income support, fuel subsidies and child benefits.",
     "Demandes d'aide au revenu, de subventions pour le combustible et de prestations pour enfants.", "NL", "4520",
     [(WEEKDAYS, "09:00", "12:00")], ("iu", "en"), "Building 1150, Qiqiqtaq Road"),
    ("Igloolik", "Igloolik Community Services", "Igloolik health drop-in", "Halte-santé d'Igloolik",
     "Nurse drop-in for adults and children; prenatal visits on Thursdays.",
     "Consultation sans rendez-vous avec une infirmière\u00a0; suivis prénataux le jeudi.", "LF", "4521",
     [(WEEKDAYS, "13:00", "16:00")], ("iu", "en"), "Building 1150, Qiqiqtaq Road"),
    ("Pond Inlet", "Mittimatalik Helping Centre", "Pond Inlet food bank", "Banque alimentaire de Pond Inlet",
     "Food hampers on Mondays and Thursdays; community freezer of country food.",
     "Paniers alimentaires les lundis et jeudis\u00a0; congélateur communautaire d'aliments traditionnels.",
     "BD-1800.2000", "7330", [("MO,TH", "14:00", "17:00")], ("iu", "en"), "Building 210, Sirmilik Road"),
    ("Pond Inlet", "Mittimatalik Helping Centre", "Pond Inlet elders' lunch", "Dîner des aînés de Pond Inlet",
     "Lunch and company for elders, with transport on request.",
     "Dîner et compagnie pour les aînés, avec transport sur demande.", "PH-7000", "7331",
     [("TU,TH", "11:30", "13:30")], ("iu",), "Building 210, Sirmilik Road"),
    ("Kugluktuk", "Kugluktuk Community Support", "Kugluktuk shelter and housing help", "Refuge et aide au logement de Kugluktuk",
     "Short-term beds and help finding a place to live.",
     "Lits pour de courts séjours et aide pour trouver un logement.", "BH", "8140",
     [(EVERY_DAY, "08:00", "22:00")], ("ikt", "en"), "Building 58, Coppermine Road"),
    ("Kugluktuk", "Kugluktuk Community Support", "Kugluktuk medical travel help", "Aide aux déplacements médicaux de Kugluktuk",
     "Help arranging medical travel, escorts and accommodation in the south.",
     "Aide pour organiser les déplacements médicaux, les accompagnateurs et l'hébergement dans le Sud.", "TH",
     "8141", [(WEEKDAYS, "09:00", "16:00")], ("ikt", "en"), "Building 58, Coppermine Road"),
    ("Kinngait", "Kinngait Community Wellness", "Kinngait food and clothing", "Nourriture et vêtements à Kinngait",
     "Food hampers and warm clothing for families in need.",
     "Paniers alimentaires et vêtements chauds pour les familles dans le besoin.", "BD-1800", "5120",
     [("MO,WE", "13:00", "16:00")], ("iu", "en"), "Building 400, Kiiqiqtaa Street"),
    ("Kinngait", "Kinngait Community Wellness", "Kinngait wellness and addictions", "Mieux-être et dépendances à Kinngait",
     "Support circles, counselling and on-the-land programmes.",
     "Cercles de soutien, counselling et programmes sur le territoire.", "RX", "5121",
     [(WEEKDAYS, "09:00", "17:00")], ("iu", "en"), "Building 400, Kiiqiqtaa Street"),
]

# Shown to agents only, not in the public directory (issue 20): the demo has both kinds.
INTERNAL_TYPES = {"ND"}

LANGUAGE_NAMES = {"iu": "Inuktitut", "ikt": "Inuinnaqtun", "en": "English", "fr": "French"}


def load_demo(session) -> None:
    load_starter_synonyms(session.connection())  # the migration gave them, unless since removed
    terms = _terms(session)
    agencies: dict[str, Agency] = {}
    sites: dict[tuple[str, str], Site] = {}
    service_ids = []
    for (community, agency_name, name, name_fr, description, description_fr, code, last_four, hours,
         spoken, address) in SERVICES:
        postal_code, latitude, longitude, exchange = COMMUNITIES[community]
        if agency_name not in agencies:
            agencies[agency_name] = Agency(name=agency_name, email=_email(agency_name), public=True)
            session.add(agencies[agency_name])
            session.flush()
        agency = agencies[agency_name]
        if (agency_name, address) not in sites:
            offset = len(sites) * 0.0007  # places of one community a few dozen metres apart
            sites[(agency_name, address)] = Site(
                name=agency_name, organization_id=agency.id, address_1=address, city=community,
                state_province="NU", postal_code=postal_code, country="CA", latitude=latitude + offset,
                longitude=longitude - offset, public=True)
            session.add(sites[(agency_name, address)])
            session.flush()
        service = Resource(name=name, name_fr=name_fr, description=description, description_fr=description_fr,
                           organization_id=agency.id, status="active", public=code not in INTERNAL_TYPES)
        session.add(service)
        session.flush()
        service_ids.append(service.id)
        number = f"{exchange}-{last_four}"
        session.execute(insert(service_at_location).values(service_id=service.id,
                                                           location_id=sites[(agency_name, address)].id))
        session.execute(insert(service_taxonomy).values(service_id=service.id, term_id=terms[code].id))
        session.execute(insert(phones).values(service_id=service.id, number=number,
                                              digits=phone_digits(number), type="voice"))
        session.execute(insert(service_areas).values(service_id=service.id, name=community,
                                                     folded_name=fold(community)))
        for days, opens, closes in hours:
            session.execute(insert(schedules).values(service_id=service.id, freq="WEEKLY", byday=days,
                                                     opens_at=opens, closes_at=closes))
        session.execute(insert(languages), [{"service_id": service.id, "code": code_, "name": LANGUAGE_NAMES[code_]}
                                            for code_ in spoken])
    index.rebuild(service_ids)


def _terms(session) -> dict[str, TaxonomyTerm]:
    terms = {code: TaxonomyTerm(code=code, name=name, name_fr=name_fr, taxonomy="Demo")
             for code, (name, name_fr) in TYPES.items()}
    session.add_all(terms.values())
    session.flush()
    return terms


def _email(agency_name: str) -> str:
    slug = "".join(char for char in agency_name.lower() if char.isalnum())[:30]
    return f"info@{slug}.example.org"
