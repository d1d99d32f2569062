"""Data for the report tests: clients created on known dates, with programmes, services and calls."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

from kernel import records
from kernel.db import db
from kernel.registry import entities


def make_client(user, created: str, **values):
    """A client created through the save service, then dated ``created`` (YYYY-MM-DD)."""
    client = records.create(entities().get("client"), {"last_name": values.pop("last_name", "Client"), **values},
                            user)
    db.session.flush()
    client.created_at = datetime.fromisoformat(created)
    return client


def make(entity_name: str, user, **values):
    return records.create(entities().get(entity_name), values, user)


def seed_clients(user):
    """Five clients over two months, three countries; returns them by last name."""
    clients = {
        "Tremblay": make_client(user, "2025-01-10", last_name="Tremblay", country_of_origin="HT",
                                immigration_status="permanent_resident"),
        "Kilabuk": make_client(user, "2025-01-20", last_name="Kilabuk", country_of_origin="FR",
                               immigration_status="citizen"),
        "Noël": make_client(user, "2025-02-03", last_name="Noël", country_of_origin="HT",
                            immigration_status="permanent_resident"),
        "Diallo": make_client(user, "2025-02-14", last_name="Diallo", country_of_origin="SN",
                              immigration_status="work_permit"),
        "Ancien": make_client(user, "2024-06-01", last_name="Ancien", country_of_origin="HT"),
    }
    db.session.commit()
    return clients


def page(client, items):
    response = client.get("/reports/build?" + urlencode(items))
    return response, response.get_data(as_text=True)


def cells(html: str) -> list[list[str]]:
    body = html.split('class="records report-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]
