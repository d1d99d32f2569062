"""The public directory as a read-only Open Referral HSDS 3 API under ``/api/v1/directory/hsds/``
(issue 20): the ``/services``, ``/organizations``, ``/locations``, ``/service_at_locations`` and
``/taxonomy_terms`` endpoints of the HSDS 3 API specification, paged, filtered, with no login.

Only what the public pages show: services marked public of agencies marked public, agencies
marked public, places marked public; every taxonomy term. Off (404) unless ``DIRECTORY_PUBLIC``;
rate-limited per address by ``DIRECTORY_PUBLIC_RATE_LIMIT``. The objects are those of the HSDS
export (``plugins.directory.hsds_write``), nested as the API specification nests them."""
