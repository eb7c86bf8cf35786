"""Run the test identity provider by hand, to try the OpenID Connect login with the demo:

    .venv/bin/python -m tests.oidc_provider            # on http://127.0.0.1:8081

It keeps its data in var/test-provider/, adds every demo persona as a person there (username:
the part of the demo e-mail before @, password below) and registers the demo at
http://127.0.0.1:8000 as a relying party, then prints the environment for ./scripts/demo.
See docs/identity.md. Stop with Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from .server import REPO, TestProvider

CLIENT_ID = "osallisuus-demo"
CLIENT_SECRET = "osallisuus-demo-client-secret"
PASSWORD = "Testitunnus-2026"
SITES = ("http://127.0.0.1:8000", "http://localhost:8000")


def main() -> int:
    parser = argparse.ArgumentParser(description="The test identity provider, for trying the demo.")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))  # stop the provider on kill too

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from osallisuus.accounts.demo import PEOPLE

    workdir = REPO / "var" / "test-provider"
    workdir.mkdir(parents=True, exist_ok=True)
    provider = TestProvider(port=args.port, workdir=workdir, quiet=True).start()
    try:
        provider.add_client(
            CLIENT_ID,
            CLIENT_SECRET,
            redirect_uris=[f"{site}/login/oidc/demo/callback/" for site in SITES],
            post_logout_redirect_uris=[f"{site}/account/login/" for site in SITES],
            backchannel_logout_uri=f"{SITES[0]}/login/oidc/demo/backchannel-logout/",
        )
        for person in PEOPLE:
            first, _space, last = person.full_name.partition(" ")
            provider.add_user(
                person.email.split("@")[0], PASSWORD, first_name=first, last_name=last, email=person.email
            )
        sys.stdout.write(
            "\n".join(
                [
                    f"The test identity provider runs on {provider.base_url} (log: {provider.log_path}).",
                    f"People: the demo e-mail before @ (e.g. aino.makinen), password {PASSWORD}.",
                    "Start the demo in another terminal with:",
                    "",
                    "export OIDC_PROVIDERS=demo",
                    f"export OIDC_DEMO_ISSUER={provider.issuer}",
                    f"export OIDC_DEMO_CLIENT_ID={CLIENT_ID}",
                    f"export OIDC_DEMO_CLIENT_SECRET={CLIENT_SECRET}",
                    "export OIDC_DEMO_LABEL_FI='Testitunnistus' OIDC_DEMO_LABEL_SV='Testidentifiering'",
                    "export OIDC_DEMO_LABEL_EN='Test identity provider'",
                    "./scripts/demo",
                    "",
                ]
            )
            + "\n"
        )
        sys.stdout.flush()
        while provider.process is not None and provider.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
