"""Schemathesis hooks for reliability/schemathesis.sh.

The person import (`POST /api/v1/persons/imports`) takes NDJSON: its spec describes the body as
an array of registrations, one per line. Schemathesis has no NDJSON serializer of its own; this
one writes each generated item as one line of JSON (a value that is not an array as a single
line), so generated and mutated registrations reach the line parser.
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
