"""The identity module in the authorization matrix (tests/test_authorization_matrix.py).

The matrix runs without identity providers configured (like the demo), so a provider's pages
are the same 404 for everyone; what they do with a provider is in this module's own tests,
against the real test provider. The invitation pages speak to whoever holds the link and show
nobody's data: without a valid link, 410 for everyone."""

from __future__ import annotations

from tests.authz_matrix import Entry, everyone

COUNTY = {"provider": "county"}

MATRIX: dict[str, Entry] = {
    "identity:start": Entry(kwargs=lambda ctx: COUNTY, methods={"GET": everyone(404), "POST": everyone(405)}),
    "identity:callback": Entry(kwargs=lambda ctx: COUNTY, methods={"GET": everyone(404), "POST": everyone(405)}),
    "identity:result": Entry(kwargs=lambda ctx: COUNTY, methods={"GET": everyone(404), "POST": everyone(405)}),
    # Server to server from the provider, without a session or a CSRF token.
    "identity:backchannel_logout": Entry(
        kwargs=lambda ctx: COUNTY, methods={"GET": everyone(405), "POST": everyone(404)}
    ),
    "identity:invitation_open": Entry(
        kwargs=lambda ctx: {"token": "no-such-invitation"}, methods={"GET": everyone(410), "POST": everyone(405)}
    ),
    "identity:invitation": Entry(methods={"GET": everyone(410), "POST": everyone(405)}),
}
