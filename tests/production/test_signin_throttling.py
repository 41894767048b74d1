"""Sign-in throttling sees the client's address behind the proxies, and locks a username only
for the address that failed, separately for the admin and the normal sign-in.

The requests carry the headers a proxy sets: REMOTE_ADDR is the proxy (127.0.0.1), and
X-Forwarded-For ends with what each trusted proxy appended (nginx's $proxy_add_x_forwarded_for).
Anything to the left of that came from the client and is not trusted.
tests/production/test_proxy_lockout.py runs the same attack through a real gunicorn behind a
small proxy.
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.5"
VICTIM = "198.51.100.7"
RIGHT, WRONG = "the-right-password-9", "wrong"


@pytest.fixture
def ann(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_user("ann", password=RIGHT, is_staff=True, is_superuser=True)


def sign_in(client, password, forwarded_for=None, remote=PROXY, username="ann", url="account_login"):
    """Through allauth's sign-in form (its field is "login"), or the admin's ("username")."""
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    data = {"login": username, "password": password}
    if url == "admin:login":
        data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(reverse(url), data, **headers)


def fail_five_times(client, forwarded_for, url="account_login"):
    statuses = [sign_in(client, WRONG, forwarded_for, url=url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429], statuses  # the fifth failure locks


def recorded_addresses():
    return sorted(set(AccessAttempt.objects.values_list("ip_address", flat=True)))


def test_behind_one_proxy_an_attacker_elsewhere_cannot_lock_the_user_out(client, ann, settings):
    settings.PROXY_COUNT = 1
    fail_five_times(client, ATTACKER)
    assert sign_in(client, RIGHT, ATTACKER).status_code == 429  # the attacker's pair stays locked
    assert recorded_addresses() == [ATTACKER]  # not the proxy's 127.0.0.1

    response = sign_in(client, RIGHT, VICTIM)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_forged_forwarded_for_is_not_trusted(client, ann, settings):
    """The attacker sends X-Forwarded-For naming the victim's address; the proxy appends the
    attacker's real one, and only that is trusted."""
    settings.PROXY_COUNT = 1
    fail_five_times(client, f"{VICTIM}, {ATTACKER}")
    assert recorded_addresses() == [ATTACKER]
    assert sign_in(client, RIGHT, VICTIM).status_code == 302


def test_rotating_forged_addresses_does_not_escape_the_lockout(client, ann, settings):
    settings.PROXY_COUNT = 1
    for i in range(4):
        assert sign_in(client, WRONG, f"192.0.2.{i}, {ATTACKER}").status_code == 200
    assert sign_in(client, WRONG, f"192.0.2.99, {ATTACKER}").status_code == 429
    assert sign_in(client, RIGHT, f"192.0.2.100, {ATTACKER}").status_code == 429


def test_behind_two_proxies_the_address_the_first_one_saw_counts(client, ann, settings):
    """A load balancer appends the client; nginx appends the load balancer; REMOTE_ADDR is nginx."""
    settings.PROXY_COUNT = 2
    fail_five_times(client, f"{VICTIM}, {ATTACKER}, 10.0.0.2")
    assert recorded_addresses() == [ATTACKER]
    assert sign_in(client, RIGHT, f"{VICTIM}, 10.0.0.2").status_code == 302


def test_a_request_that_bypassed_a_proxy_counts_under_its_peer_address(client, ann, settings):
    """Fewer forwarded addresses than proxies: the header is not what our proxies write, so
    only the connection's own address is trusted."""
    settings.PROXY_COUNT = 2
    fail_five_times(client, ATTACKER)
    assert recorded_addresses() == [PROXY]


def test_without_a_proxy_forwarded_for_is_ignored(client, ann, settings):
    """Straight from the client (DJANGO_PROXY_COUNT=0) the header is the client's own
    invention: rotating it neither escapes the lockout nor frames someone else."""
    settings.PROXY_COUNT = 0
    for i in range(4):
        assert sign_in(client, WRONG, f"192.0.2.{i}", remote=ATTACKER).status_code == 200
    assert sign_in(client, WRONG, VICTIM, remote=ATTACKER).status_code == 429
    assert recorded_addresses() == [ATTACKER]
    assert sign_in(client, RIGHT, ATTACKER, remote=VICTIM).status_code == 302


def test_admin_failures_do_not_lock_the_normal_sign_in(client, ann, settings):
    settings.PROXY_COUNT = 1
    fail_five_times(client, ATTACKER, url="admin:login")
    assert sign_in(client, RIGHT, ATTACKER, url="admin:login").status_code == 429
    # The same person, from the same address, may still use the normal sign-in.
    assert sign_in(client, RIGHT, ATTACKER).status_code == 302


def test_normal_failures_do_not_lock_the_admin_sign_in(client, ann, settings):
    settings.PROXY_COUNT = 1
    fail_five_times(client, ATTACKER)
    response = sign_in(client, RIGHT, ATTACKER, url="admin:login")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_admin_failures_count_toward_the_admin_lockout(client, ann, settings):
    """Four normal and four admin failures: neither counter reaches five."""
    settings.PROXY_COUNT = 1
    for _ in range(4):
        assert sign_in(client, WRONG, ATTACKER).status_code == 200
        assert sign_in(client, WRONG, ATTACKER, url="admin:login").status_code == 200
    assert sign_in(client, RIGHT, ATTACKER).status_code == 302
