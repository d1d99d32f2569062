"""Who saw what: a record's readers on its page and the administrators' access report.

The kernel writes the log (``kernel.access_log``: reads of sensitive records); this package only
reads it: ``readers`` (the "who has seen this record" panel), ``report`` (the report, its filters
and its CSV export), ``hooks`` (permissions, panel, menu, the purge job).
"""
