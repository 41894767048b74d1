"""An answer's content in a comparable, signable form."""

import hashlib
import json


def digest(choice: str, justification: str, evidence_urls) -> str:
    """A short fingerprint of an answer's content, so the upload can tell which rows were edited."""
    text = json.dumps([choice, justification, list(evidence_urls)], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
