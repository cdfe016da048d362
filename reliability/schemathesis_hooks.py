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
    return (json.dumps(value, default=str) + "\n").encode()
