"""Privacy's rows of the authorization matrix (``tests/authz_matrix.py`` collects them).

``privacy:my_access_log`` and ``api:my_access_log`` are listed in the core matrix."""

from __future__ import annotations

from tests.authz_matrix import ADMIN_ONLY_PAGE, Entry, api_logged_in, logged_in, only


def _aino(ctx):  # type: ignore[no-untyped-def]
    return {"person_id": ctx.personas.participant.pk}


ADMIN_ONLY_OBJECT = only({"administrator": 200}, others=404)

MATRIX = {
    "privacy:my_data": Entry(methods={"GET": logged_in(200), "POST": logged_in("redirect")}, reads_personal_data=True),
    "privacy:access_log_search": Entry(methods={"GET": ADMIN_ONLY_PAGE}, reads_personal_data=True),
    "privacy:record_of_processing": Entry(methods={"GET": ADMIN_ONLY_PAGE}),
    "privacy:requests": Entry(methods={"GET": ADMIN_ONLY_PAGE}, query="?q=aino", reads_personal_data=True),
    "privacy:request_detail": Entry(kwargs=_aino, methods={"GET": ADMIN_ONLY_OBJECT}, reads_personal_data=True),
    "privacy:request_erase": Entry(
        kwargs=_aino, methods={"GET": logged_in(405), "POST": only({"administrator": 400}, others=404)}
    ),
    "privacy:request_export": Entry(
        kwargs=_aino,
        methods={"GET": logged_in(405), "POST": ADMIN_ONLY_OBJECT},
        reads_personal_data=True,
    ),
    "api:my_data": Entry(methods={"GET": api_logged_in(200)}, reads_personal_data=True),
}
