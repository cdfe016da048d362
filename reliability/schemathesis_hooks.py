"""Schemathesis hooks for reliability/schemathesis.sh.

The person import (`POST /api/v1/persons/imports`) takes NDJSON: its spec gives the schema of
one line (a registration). Schemathesis has no NDJSON serializer of its own; this one writes the
generated value as one line of JSON followed by a newline, so generated and mutated
registrations (and values that are not an object at all) reach the line parser.
"""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    # Schemathesis sends the returned bytes as the body.
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    lines = value if isinstance(value, list) else [value]
    return "".join(json.dumps(line, default=str) + "\n" for line in lines).encode()


@schemathesis.serializer("text/csv")
def csv_text(ctx, value):
    # A measure's data points as CSV (`POST /api/v1/measures/{id}/data-points`): the spec
    # describes the body as a string; send it as its UTF-8 bytes.
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode()


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    """Keeps every failure but one artefact of the stateful phase: a link schemathesis infers
    from a response field that is `null` there (an audit event without a unit, a care
    relationship without staff) fills a path id with `None`, which the server refuses (400
    naming the path parameter) and the spec never allowed. Such a rejection of "valid data" is
    not the API's; any other failure, and any failure on a request without a `None` id, stays."""
    rejected_valid = type(failure).__name__ == "RejectedPositiveData"
    null_id = any(value in (None, "None") for value in (case.path_parameters or {}).values())
    return not (rejected_valid and null_id)
