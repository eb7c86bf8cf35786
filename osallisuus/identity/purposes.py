"""Why this module reads people's data: the purposes written to the access log.

The identity module's pages show nobody else's data: the login, the failure and invitation
pages speak only to the person logging in, and administrators confirm logins in the admin
site. So it registers no purposes yet; one used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from __future__ import annotations

from django.utils.functional import Promise

PURPOSES: dict[str, Promise] = {}
