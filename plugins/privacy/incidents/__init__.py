"""The register of confidentiality incidents (Quebec's Law 25, section 3.8 of the private-sector
act): a record per incident, kept by administrators only. The kernel derives the list, form,
history, API and CSV export from the declaration in ``models``."""
