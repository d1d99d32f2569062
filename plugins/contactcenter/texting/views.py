"""The agent's reply to a text contact, sent through the outbox."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import current_user

from kernel.toolkit import MessageRefused, db, note_read, require
from kernel.toolkit import gettext as _
from plugins.contactcenter import messages
from plugins.contactcenter.texting.conversation import ReplyRefused, latest_message_id, send_reply, thread
from plugins.contactcenter.views.common import back_to, blueprint, contact_or_404
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen


@blueprint.route("/contactcenter/contacts/<int:contact_id>/reply", methods=["POST"])
@require("contactcenter.edit")
def reply(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    try:
        send_reply(contact, request.form.get("reply_body", ""), current_user)
    except (ReplyRefused, MessageRefused) as error:
        db.session.rollback()
        if contact.channel != "sms":  # no conversation on its screen to show the reason next to
            flash(str(error), "error")
        return render_screen(contact, errors={"reply_body": [str(error)]}, status=422)
    db.session.commit()
    if not messages.sms_configured():
        flash(_("No SMS provider is configured: the SMS is written to the server's log, not sent."), "warning")
    else:
        flash(_("The reply is on its way by SMS."), "success")
    return back_to(contact, "details")


@blueprint.route("/contactcenter/contacts/<int:contact_id>/text-messages")
@require("contactcenter.view")
def text_messages(contact_id: int):
    """The conversation again when the caller wrote since message ``after`` (the screen asks every
    few seconds), else 204: nothing to show, no read to note."""
    contact = contact_or_404(contact_id)
    after = request.args.get("after", "")
    if after.isdigit() and len(after) <= 18 and latest_message_id(contact) <= int(after):
        return "", 204
    note_read("helpline_contact", contact.id)
    db.session.commit()
    return render_template("contactcenter/_text_messages.html", contact=contact, conversation=thread(contact))
