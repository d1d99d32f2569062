"""Capacity of programmes (issue 20): each resource (a programme, an HSDS service) may declare how
many spots are open, how long its waiting list is and whether it accepts new referrals, with when
and by whom it was last said. Staff update it from the resource page, a partner organisation from
the secure link of a warm referral; search shows it on the result cards and can hide full
programmes (those not accepting new referrals)."""
