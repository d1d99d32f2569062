"""Two-way SMS in the contact centre: an SMS from a caller (``passerelle_inbound_sms``) opens a
text contact or continues the open one from that number; the contact screen shows the
conversation and the agent's replies go out through the outbox."""
