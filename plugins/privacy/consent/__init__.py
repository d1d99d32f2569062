"""Consent by purpose (issue 19): what each person agreed to, for which purpose, how and until when,
with its whole history; enforced where messages leave (the kernel's outbox asks
``passerelle_outbox_check``) and in reports (``passerelle_people_without_consent``)."""
