"""The list export's bytes do not change with how it is produced (issue 18 made it faster): every
column of the clients, compared with a cell-by-cell reference, and a golden file of the list
columns exported before the change."""

import csv
import io
from datetime import date

from flask_login import login_user

from kernel import export, records
from kernel.db import db
from kernel.export import csv_lines, spreadsheet_safe, value_formatter
from kernel.listing import ListState
from kernel.registry import entities

TRICKY = [
    {"first_name": "=HYPERLINK(\"http://x\")", "last_name": "Noël, \"le\" grand", "phone": "+1 (867) 979-5555",
     "email": "@home@example.org", "file_status": "open", "client_status": None, "cv_up_to_date": True,
     "country_of_origin": "FR", "date_of_birth": date(1980, 2, 29), "description": "deux\nlignes;\ttab"},
    {"first_name": "-3.50", "last_name": "+cmd|' /C calc'!A0", "phone": "-2", "file_status": "closed",
     "country_of_origin": "ZZ", "cv_up_to_date": False},
    {"first_name": None, "last_name": "Ünïcödé 漢字", "email": None, "country_of_origin": None},
    {"first_name": "\tTab", "last_name": "\rReturn", "file_status": "no-longer-an-option"},
]
LIST_COLUMNS = ["first_name", "last_name", "email", "phone", "file_status", "client_status", "cv_up_to_date",
                "country_of_origin", "assigned_user_id"]
# exported by the code before issue 18's changes, records made by ``_add`` in this order
GOLDEN = (
    'First name,Last name,E-mail,Phone,File status,Client status,CV up to date,Country of origin,Assigned to\r\n'
    '"\'=HYPERLINK(""http://x"")","Noël, ""le"" grand",\'@home@example.org,+1 (867) 979-5555,Open,,Yes,France,Patrick Staff\r\n'
    "-3.50,'+cmd|' /C calc'!A0,,-2,Closed,,No,ZZ,Patrick Staff\r\n"
    ',Ünïcödé 漢字,,,,,No,,Patrick Staff\r\n'
    '\'\tTab,"\'\rReturn",,,no-longer-an-option,,No,,Patrick Staff\r\n'
)


def _add(user):
    entity = entities().get("client")
    for values in TRICKY:
        record = records.create(entity, {"last_name": "x"}, user)
        for key, value in values.items():  # as an old import may have left them, unchecked
            setattr(record, key, value)
    db.session.commit()


def _reference(entity, columns, user) -> str:
    """The export written the slow, obvious way: a cell at a time."""
    metas = [entity.fields[name] for name in columns]
    formatters = [value_formatter(meta, entities()) for meta in metas]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(meta.label) for meta in metas])
    rows = db.session.execute(
        ListState(columns=columns, sort="id").statement(entity, user)
        .with_only_columns(*[entity.column(name) for name in columns])
        .order_by(entity.model.id)
    ).all()
    for index, formatter in enumerate(formatters):
        if hasattr(formatter, "prepare"):
            formatter.prepare(row[index] for row in rows)
    for row in rows:
        cells = [formatter(value) if formatter else value for formatter, value in zip(formatters, row, strict=True)]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()


def test_list_columns_are_exported_as_before(staff_client, staff):
    _add(staff)
    response = staff_client.get(f"/clients/export.csv?cols={','.join(LIST_COLUMNS)}&sort=id")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == GOLDEN


def test_every_column_is_exported_as_written_cell_by_cell(app, staff):
    _add(staff)
    entity = entities().get("client")
    columns = [name for name in entity.fields if name in entity.model.__table__.c]
    streamed, reference = _streamed_and_reference(app, staff, entity, columns)
    assert streamed == reference
    assert len(next(csv.reader(io.StringIO(streamed)))) == len(columns) > len(LIST_COLUMNS)


def test_many_rows_cross_batches_unchanged(app, staff, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 500)
    entity = entities().get("client")
    for number in range(1_234):
        records.create(entity, {"last_name": f"=N{number}", "first_name": f"F{number % 7}", "file_status": "open"}, staff)
    db.session.commit()
    streamed, reference = _streamed_and_reference(app, staff, entity, LIST_COLUMNS)
    assert streamed == reference
    assert streamed.count("\r\n") == 1_235


def _streamed_and_reference(app, user, entity, columns) -> tuple[str, str]:
    with app.test_request_context():
        login_user(user)
        state = ListState(columns=columns, sort="id")
        return "".join(csv_lines(entity, state, user, entities())), _reference(entity, columns, user)


def test_no_rows_and_one_column(app, staff):
    entity = entities().get("client")
    streamed, reference = _streamed_and_reference(app, staff, entity, LIST_COLUMNS)
    assert streamed == reference == GOLDEN.split("\r\n")[0] + "\r\n"
    _add(staff)
    streamed, reference = _streamed_and_reference(app, staff, entity, ["first_name"])
    assert streamed == reference
    assert '\r\n""\r\n' in streamed  # the csv module quotes an empty lone cell
