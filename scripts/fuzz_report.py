#!/usr/bin/env python3
"""Summarises one schemathesis JUnit report: operations, failures by check, server errors.
Exits 1 when any operation answered 5xx."""

import re
import sys
import xml.etree.ElementTree as ET

role, path = sys.argv[1], sys.argv[2]
try:
    root = ET.parse(path).getroot()
except (OSError, ET.ParseError) as e:
    print(f"{role}: no report ({e})")
    sys.exit(1)
cases = root.iter("testcase")
operations, failing, server_errors, kinds = 0, 0, 0, {}
for case in cases:
    operations += 1
    problems = list(case.iter("failure")) + list(case.iter("error"))
    if not problems:
        continue
    failing += 1
    for p in problems:
        text = (p.get("message") or "") + (p.text or "")
        for title in re.findall(r"^- ([^\n]+)$", text, re.M) or [p.get("message") or "error"]:
            kinds[title.strip()] = kinds.get(title.strip(), 0) + 1
        if "Server error" in text or re.search(r"\b5\d\d\b", p.get("message") or ""):
            server_errors += 1
generated = "?"
try:
    with open(path.rsplit(".", 1)[0] + ".txt") as f:
        m = re.search(r"(\d+) generated", f.read())
        generated = m.group(1) if m else "?"
except OSError:
    pass
print(f"RESULT fuzz {role}: operations {operations}, test cases {generated}, failing operations {failing}, server errors {server_errors}")
for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:12]:
    print(f"    {n:3d}  {k}")
sys.exit(1 if server_errors else 0)
