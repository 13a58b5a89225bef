#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# validate-json.py SCHEMA FILE: exit 0 when the JSON in FILE is valid
# against SCHEMA (Documentation/schema/), 1 with the first error otherwise.
# Debian's python3-jsonschema (scripts/deps.sh).
import json
import sys

import jsonschema


def unit_name(key, unit):
    """total_ns -> total_cycles, ns_per_page -> cycles_per_page"""
    if key.endswith("_ns"):
        return key[:-3] + "_" + unit
    if key.startswith("ns_"):
        return unit + "_" + key[3:]
    return key


def rename(node, unit):
    """The schema for times in unit: the rule every schema's description
    states (no *_ns key holds cycles)."""
    if isinstance(node, list):
        return [rename(v, unit) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "properties":
            props = {}
            for name, sub in v.items():
                to = unit_name(name, unit)
                if to not in props or to == name:
                    props[to] = rename(sub, unit)
            out[k] = props
        elif k == "required":
            out[k] = list(dict.fromkeys(unit_name(n, unit) for n in v))
        else:
            out[k] = rename(v, unit)
    return out


def unit_of(doc):
    for side in (doc, doc.get("a", {}), doc.get("b", {})):
        if isinstance(side, dict) and side.get("time_unit", "ns") != "ns":
            return side["time_unit"]
    return "ns"


with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
if unit_of(doc) != "ns":
    schema = rename(schema, unit_of(doc))
try:
    jsonschema.validate(doc, schema,
                        cls=jsonschema.validators.validator_for(schema))
except jsonschema.ValidationError as e:
    path = "/".join(str(p) for p in e.absolute_path)
    print(f"{sys.argv[2]}: /{path}: {e.message}", file=sys.stderr)
    sys.exit(1)
