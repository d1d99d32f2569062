"""A directory that stays current (issue 20): when each record was last verified and by whom, the
maintenance dashboard, the worker's verification e-mails to agencies with their secure-link form,
the review of the changes they propose, and agents' "flag as wrong" reports."""
