"""The lockout through a real gunicorn behind a reverse proxy (DJANGO_PROXY_COUNT=1).

An attacker at 127.0.0.2 fails five times to sign in as ann, even forging an X-Forwarded-For
that names ann's address. Ann, at 127.0.0.3, still signs in; the attacker stays locked out.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from tests.production.live import client_from, gunicorn, reverse_proxy, server_env, sign_in

ATTACKER, VICTIM = "127.0.0.2", "127.0.0.3"
PASSWORD = "proxy-test-password-2026"

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_attacker_behind_the_proxy_locks_only_themselves_out(tmp_path):
    get_user_model().objects.create_user("ann", password=PASSWORD)
    with gunicorn(tmp_path, server_env(tmp_path, DJANGO_PROXY_COUNT="1")) as (upstream, log):
        with reverse_proxy(upstream) as site:
            attacker, victim = client_from(ATTACKER), client_from(VICTIM)
            forged = {"X-Forwarded-For": VICTIM}
            statuses = [sign_in(attacker, site, "ann", "wrong", headers=forged).status for _ in range(5)]
            assert statuses == [200, 200, 200, 200, 429]
            assert sign_in(attacker, site, "ann", PASSWORD, headers=forged).status == 429

            assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
            result = sign_in(victim, site, "ann", PASSWORD)
            assert (result.status, result.location) == (302, "/dashboard/")
