"""Schemathesis over the published OpenAPI schema, as each persona, bounded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_load_x1 .venv/bin/python bench/api_schemathesis.py [--examples 3]

Runs in-process against the WSGI application on a database with the demo data (it writes to
it: use a benchmark database, never a real one). For every operation and persona it draws
``--examples`` cases from the schema and checks each answer with Schemathesis's checks
(no server error, the status code and the body as documented, the content type). Personas:
anonymous, and each demo role by a personal bearer token; the participant also by the page
session (GETs: unsafe methods need the CSRF token). Prints the operations, cases and
failures per check; exits 1 on a server error.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("OSALLISUUS_DEMO", "1")
os.environ["ALLOWED_HOSTS"] = "*"

import django  # noqa: E402

django.setup()

import schemathesis  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.test import Client  # noqa: E402
from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402
from schemathesis.specs.openapi.checks import ignored_auth  # noqa: E402

from osallisuus.accounts.api_auth import token_issue  # noqa: E402
from osallisuus.accounts.demo import PEOPLE  # noqa: E402
from osallisuus.accounts.models import User  # noqa: E402

ROLES = ("participant", "own_worker", "coordinator", "expert", "orderer", "activity_provider", "administrator")


def personas() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"anonymous": {}}
    emails = {p.key: p.email for p in PEOPLE}
    for role in ROLES:
        _token, raw = token_issue(user=User.objects.get(email=emails[role]), name="schemathesis")
        out[f"{role} (token)"] = {"Authorization": f"Bearer {raw}"}
    client = Client()
    client.force_login(User.objects.get(email=emails["participant"]))
    out["participant (session)"] = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--max-seconds", type=int, default=600)
    args = parser.parse_args()
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    who = personas()
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    server_errors = 0
    cases = 0
    deadline = time.monotonic() + args.max_seconds
    for op in operations:
        strategy = op.as_strategy()
        for name, headers in who.items():
            if "session" in name and op.method.upper() != "GET":
                continue
            for _ in range(args.examples):
                if time.monotonic() > deadline:
                    break
                case = strategy.example()
                cases += 1
                try:
                    response = case.call(headers=headers)
                    if response.status_code >= 500:
                        server_errors += 1
                    # ignored_auth would judge the real credentials we send as generated ones.
                    case.validate_response(response, excluded_checks=[ignored_auth])
                except (Exception, BaseExceptionGroup) as exc:
                    kind = type(exc).__name__
                    for line in str(exc).splitlines():
                        if line.strip().startswith("- "):
                            kind = line.strip()[2:]
                            break
                    failures[kind] += 1
                    where = f"{op.method.upper()} {op.path}"
                    if where not in examples[kind]:
                        examples[kind].append(where)
    print(
        f"Schemathesis {schemathesis.__version__ if hasattr(schemathesis, '__version__') else ''}: "
        f"{len(operations)} operations, {len(who)} personas, {cases} cases, {args.examples} per operation and persona"
    )
    print(f"  server errors (5xx): {server_errors}")
    for kind, count in failures.most_common():
        print(f"  {kind}: {count} cases, in {len(examples[kind])} operations:")
        for where in examples[kind]:
            print(f"    {where}")
    if not failures:
        print("  every answer as documented")
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
