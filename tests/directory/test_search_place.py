"""By postal code: distance shown, radius, sorted by distance; unknown codes said clearly; an
administrator's finer table takes precedence."""

import io
import re

from tests.directory.helpers import names_in, sample_client, search


def distances(page: str) -> list[float]:
    return [float(value) for value in re.findall(r'<span class="distance">([\d.]+) km</span>', page)]


def test_a_canadian_postal_code_sorts_by_distance_and_shows_it(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, postal_code="h2x 1y4")
    names = names_in(page)
    assert names[:2] in (["Emergency shelter", "Housing help"], ["Housing help", "Emergency shelter"])
    assert names[-2:] in (["Social housing", "Community kitchen"], ["Community kitchen", "Social housing"])
    assert distances(page) == sorted(distances(page))
    assert 150 < distances(page)[-1] < 200  # Montréal to Ottawa


def test_a_radius_limits_the_results(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    assert set(names_in(search(client, postal_code="H2X", radius=25))) == {"Emergency shelter", "Housing help",
                                                                          "Food bank"}
    assert names_in(search(client, postal_code="H2X", radius=25, q="logement")) == ["Housing help"]
    assert all(distance <= 25 for distance in distances(search(client, postal_code="H2X", radius=25)))


def test_a_us_zip_code_works(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, postal_code="12901", radius=120)  # Plattsburgh, NY
    assert "Emergency shelter" in names_in(page)
    assert "Social housing" not in names_in(page)


def test_an_unknown_postal_code_says_so(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, postal_code="Z9Z 9Z9")
    assert "Unknown postal code: Z9Z 9Z9" in page
    assert names_in(page) == []


def test_an_administrators_postal_code_table_takes_precedence(app, tmp_path, admin_client):
    client = sample_client(app, tmp_path, admin_client)
    content = b"postal_code,latitude,longitude\nH2X 9Z9,45.42,-75.69\n"
    response = client.post("/admin/directory/postal-codes", data={"file": (io.BytesIO(content), "codes.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert "1 postal codes loaded" in client.get("/admin/directory/postal-codes").get_data(as_text=True) or \
        "1 postal code loaded" in client.get("/admin/directory/postal-codes").get_data(as_text=True)
    assert set(names_in(search(client, postal_code="H2X 9Z9", radius=10))) == {"Social housing", "Community kitchen"}


def test_a_broken_postal_code_file_loads_nothing(app, admin_client):
    content = b"postal_code,latitude,longitude\nH2X 9Z9,north,-75.69\n"
    admin_client.post("/admin/directory/postal-codes", data={"file": (io.BytesIO(content), "codes.csv")},
                      content_type="multipart/form-data")
    assert "0 postal codes loaded" in admin_client.get("/admin/directory/postal-codes").get_data(as_text=True)
