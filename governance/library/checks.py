"""Whole-library checks that a single record cannot show (used by ``check_library``)."""

from governance.library.schema import SCHEMAS


def coverage_problems(data):
    """Principles that no active item serves, items that serve no principle, and required
    texts that are empty. Returns a list of messages, empty when the library is sound."""
    problems = []
    served = {link["principle"] for item in data.items.values() if item["active"] for link in item["principles"]}
    for code in sorted(data.principles):
        if code not in served:
            problems.append(f"principle {code}: no active checklist item serves it")
    for code, item in sorted(data.items.items()):
        if not item["principles"]:
            problems.append(f"item {code}: serves no principle")
    for model, records in data.records.items():
        schema = SCHEMAS[model]
        required_text = [f.name for f in schema.fields if f.required and f.kind in ("text", "url")]
        for key, fields in sorted(records.items()):
            for name in required_text:
                if not str(fields.get(name) or "").strip():
                    problems.append(f"{model} {key}: required field {name!r} is empty")
    return problems
