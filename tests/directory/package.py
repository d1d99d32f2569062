"""A small HSDS 3 CSV package of Canadian resources, and helpers to load it in tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HSDS_DATA = Path(__file__).resolve().parent / "data" / "hsds-3"  # CC BY-SA 4.0, see data/README.md
ORG = "11111111-1111-4111-8111-111111111111"
TERM_SHELTER, TERM_FOOD, TERM_HOUSING = (f"2222222{n}-2222-4222-8222-222222222222" for n in range(3))
SHELTER, FOOD, SOCIAL_HOUSING, HOUSING_HELP, FOOD_NEWS = (f"3333333{n}-3333-4333-8333-333333333333" for n in range(5))


def uid(prefix: int, number: int) -> str:
    return f"{prefix:08d}-0000-4000-8000-{number:012d}"


def official_data() -> Path:
    if not HSDS_DATA.is_dir():
        pytest.fail(f"the official HSDS 3 examples are missing from {HSDS_DATA}")
    return HSDS_DATA


SERVICES = [
    # id, name, name_fr, description, description_fr, place, term, language, (days, opens, closes), phone, area
    (SHELTER, "Emergency shelter", "Hébergement d'urgence", "Beds for the night.", "Des lits pour la nuit.",
     ("H2X 1Y4", 45.515, -73.574, "Montréal"), TERM_SHELTER, ("fr", "French"), ("MO,TU,WE,TH,FR", "09:00", "17:00"),
     "(514) 555-0101", "Montréal"),
    (FOOD, "Food bank", "Banque alimentaire", "Groceries every Saturday.", "Épicerie chaque samedi.",
     ("H7N 1A1", 45.57, -73.70, "Laval"), TERM_FOOD, ("fr", "French"), ("SA", "10:00", "14:00"),
     "514-555-0202", "Laval"),
    (SOCIAL_HOUSING, "Social housing", "Logements sociaux", "Affordable flats.", "Des logements abordables.",
     ("K1P 1J1", 45.42, -75.69, "Ottawa"), TERM_HOUSING, ("en", "English"), ("MO,TU,WE,TH,FR,SA,SU", "08:00", "20:00"),
     "+1 613 555 0303", "Ottawa"),
    (HOUSING_HELP, "Housing help", "Aide au logement", "Find a home.", "Trouver un logement, garder son logement.",
     ("H2X 3K2", 45.52, -73.58, "Montréal"), TERM_HOUSING, ("fr", "French"), ("MO,TU,WE,TH,FR", "09:00", "17:00"),
     "514 555 0404", "Montréal"),
    (FOOD_NEWS, "Community kitchen", "Cuisine collective", "Cooking together.", "Cuisiner ensemble; aide pour un logement.",
     ("K1P 5G8", 45.423, -75.70, "Ottawa"), TERM_FOOD, ("en", "English"), ("TU", "18:00", "21:00"),
     "613.555.0505", "Ottawa"),
]
HOLIDAY = uid(9, 1)  # Housing help closes on 25 December 2026


def write_csv(folder: Path, name: str, rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row)) or ["id"]
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def tables() -> dict[str, list[dict]]:
    data = {
        "organizations": [{"id": ORG, "name": "Community Help Network", "name_fr": "Réseau d'entraide",
                           "description": "Helps people.", "email": "info@example.org"}],
        "taxonomies": [{"id": uid(8, 1), "name": "211 LA County / AIRS", "description": "AIRS taxonomy"}],
        "taxonomy_terms": [
            {"id": TERM_SHELTER, "code": "BH-1800.8500", "name": "Emergency Shelter", "name_fr": "Hébergement d'urgence",
             "description": "Shelter", "taxonomy_id": uid(8, 1)},
            {"id": TERM_FOOD, "code": "BD-1800.2000", "name": "Food Pantries", "name_fr": "Banques alimentaires",
             "description": "Food", "taxonomy_id": uid(8, 1)},
            {"id": TERM_HOUSING, "code": "BH-8000", "name": "Housing", "name_fr": "Logement",
             "description": "Housing", "taxonomy_id": uid(8, 1)},
        ],
        "services": [], "locations": [], "addresses": [], "service_at_location": [], "phones": [], "schedules": [],
        "service_areas": [], "languages": [], "attributes": [],
    }
    for number, (service_id, name, name_fr, description, description_fr, place, term, language, hours, phone,
                 area) in enumerate(SERVICES, start=1):
        postal, latitude, longitude, city = place
        location_id = uid(4, number)
        data["services"].append({"id": service_id, "organization_id": ORG, "name": name, "name_fr": name_fr,
                                 "description": description, "description_fr": description_fr, "status": "active"})
        data["locations"].append({"id": location_id, "location_type": "physical", "name": f"{name} office",
                                  "organization_id": ORG, "latitude": latitude, "longitude": longitude})
        data["addresses"].append({"id": uid(5, number), "location_id": location_id, "address_1": f"{number} rue Principale",
                                  "city": city, "state_province": "QC" if city != "Ottawa" else "ON",
                                  "postal_code": postal, "country": "CA", "address_type": "physical"})
        data["service_at_location"].append({"id": uid(6, number), "service_id": service_id, "location_id": location_id})
        data["phones"].append({"id": uid(7, number), "service_id": service_id, "number": phone, "type": "voice"})
        data["schedules"].append({"id": uid(10, number), "service_id": service_id, "freq": "WEEKLY", "byday": hours[0],
                                  "opens_at": hours[1], "closes_at": hours[2]})
        data["service_areas"].append({"id": uid(11, number), "service_id": service_id, "name": area})
        data["languages"].append({"id": uid(12, number), "service_id": service_id, "code": language[0],
                                  "name": language[1]})
        data["attributes"].append({"id": uid(13, number), "link_id": service_id, "link_type": "service_type",
                                   "link_entity": "service", "taxonomy_term_id": term})
    data["schedules"].append({"id": HOLIDAY, "service_id": HOUSING_HELP, "valid_from": "2026-12-25",
                              "valid_to": "2026-12-26", "description": "Closed for Christmas"})
    return data


def write_package(folder: Path, data: dict[str, list[dict]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (data or tables()).items():
        write_csv(folder, name, rows)
    return folder


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["directory", *map(str, args)])


def load_sample(app, tmp_path) -> None:
    result = run_cli(app, "import-hsds", write_package(tmp_path / "sample"))
    assert result.exit_code == 0, result.output


def service_id_of(hsds_id: str) -> int:
    from sqlalchemy import select

    from kernel.db import db
    from plugins.directory.models import Resource

    return db.session.scalar(select(Resource.id).where(Resource.hsds_id == hsds_id))
