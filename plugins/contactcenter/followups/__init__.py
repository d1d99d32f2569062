"""Follow-ups of contacts (issue 20): a follow-up scheduled from a contact lands in the agents' queue,
on the assignee's dashboard; working it records the outcome of each referral, counts the attempts
and closes it as unreachable after too many failed ones; unmet needs become service gaps."""
