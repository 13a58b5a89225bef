#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# validate-json.py SCHEMA FILE: exit 0 when the JSON in FILE is valid
# against SCHEMA (Documentation/schema/), 1 with the first error otherwise.
# Debian's python3-jsonschema (scripts/deps.sh).
import json
import sys

import jsonschema

with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
try:
    jsonschema.validate(doc, schema,
                        cls=jsonschema.validators.validator_for(schema))
except jsonschema.ValidationError as e:
    path = "/".join(str(p) for p in e.absolute_path)
    print(f"{sys.argv[2]}: /{path}: {e.message}", file=sys.stderr)
    sys.exit(1)
