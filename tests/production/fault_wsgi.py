"""WSGI entry point for tests/production/test_fault_save.py only: config.wsgi with a fault.

With FAULT_PAUSE_FILE set, the first answer save this server handles stops in the middle of its
transaction: inside answers_save, after the Answer rows are written and before their revisions are
inserted (one bulk insert) and the transaction commits. There it writes FAULT_PAUSE_FILE (JSON: the process id, the
answer's id, and whether the row is written and the transaction open at that point) and sleeps,
so that the test can kill the worker right there. Only the first save pauses (a claim file next
to the marker records that it happened), so the retry in the respawned worker runs normally.
Without FAULT_PAUSE_FILE this is config.wsgi unchanged.
"""

import json
import os
import time

from config.wsgi import application  # noqa: F401  (sets Django up)

PAUSE_FILE = os.environ.get("FAULT_PAUSE_FILE")
PAUSE_SECONDS = float(os.environ.get("FAULT_PAUSE_SECONDS", "60"))

if PAUSE_FILE:
    from django.db import connection

    from assessments.models import Answer, AnswerRevision

    _manager = AnswerRevision.objects  # one manager instance per model: patch it in place
    _bulk_create = _manager.bulk_create

    def _claim():
        """True the first time, in any process of this server."""
        try:
            os.close(os.open(PAUSE_FILE + ".claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def bulk_create_with_fault(objs, *args, **kwargs):
        objs = list(objs)
        if objs and _claim():
            answer, version = objs[0].answer, objs[0].version
            state = {
                "pid": os.getpid(),
                "answer_id": answer.pk,
                "version": version,
                "in_transaction": connection.in_atomic_block,
                # Seen from inside the transaction: the row is written, not yet committed.
                "answer_row_written": Answer.objects.filter(pk=answer.pk).exists(),
            }
            partial = PAUSE_FILE + ".part"
            with open(partial, "w") as marker:
                json.dump(state, marker)
            os.replace(partial, PAUSE_FILE)
            time.sleep(PAUSE_SECONDS)
        return _bulk_create(objs, *args, **kwargs)

    _manager.bulk_create = bulk_create_with_fault
    assert AnswerRevision.objects.bulk_create is bulk_create_with_fault
