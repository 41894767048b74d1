"""The password hasher: Argon2id with the parameters of OWASP's Password Storage Cheat Sheet
(https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id:
"a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of
parallelism").

Django's own parameters (100 MiB, 2 passes, 8 lanes) cost 206 ms of CPU per sign-in on the
two-core machines we measure on, eight lanes having only two cores to run on; these cost 26 ms.
Sign-in is the most expensive request the app serves, and the one an attacker can send without
an account, so its cost is also how cheaply a flood of sign-ins takes a worker.

The algorithm name stays "argon2": hashes made with Django's parameters still verify, and
Django rehashes them with these at their owner's next sign-in (``must_update`` compares the
parameters stored in the hash).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
