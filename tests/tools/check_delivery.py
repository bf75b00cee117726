#!/usr/bin/env python3
"""Checks what the fake district server received against the kiosk database.

    check_delivery.py SERVER_LOG KIOSK_DB [IDS_FILE]

Prints one JSON object:
  db        ratings in the database (or in IDS_FILE when given: ids that must exist)
  arrived   of those, how many the server received at least once
  missing   up to 10 ids never received
  dups      ids received more than once
  bad_dups  ids received again although an earlier copy was acknowledged (2xx
            written in full): a resend the kiosk had no reason to make
  unknown   ids received that the database does not have
  multi_key ids received under more than one Idempotency-Key (a rating put in
            two different batches; only a requeue after a rejection does that)
"""
import json
import sqlite3
import sys

log, dbpath = sys.argv[1], sys.argv[2]
recv, acked, keys = {}, set(), {}
for line in open(log):
    e = json.loads(line)
    if e["ev"] == "recv":
        recv[e["req"]] = e["ids"]
        for i in e["ids"]:
            keys.setdefault(i, set()).add(e["key"])
    elif e["ev"] == "ack":
        acked.add(e["req"])
db = sqlite3.connect(dbpath)
in_db = {r[0] for r in db.execute("SELECT id FROM ratings")}
want = in_db
if len(sys.argv) > 3:
    want = {l.strip() for l in open(sys.argv[3]) if l.strip()}
seen, acked_ids, dups, bad = {}, set(), set(), set()
for req in sorted(recv):
    for i in recv[req]:
        if i in seen:
            dups.add(i)
            if i in acked_ids:
                bad.add(i)
        seen[i] = seen.get(i, 0) + 1
        if req in acked:
            acked_ids.add(i)
missing = sorted(want - set(seen))
print(json.dumps({"db": len(want), "arrived": len(want & set(seen)), "missing": missing[:10],
                  "dups": len(dups), "bad_dups": len(bad), "unknown": len(set(seen) - in_db),
                  "multi_key": sum(1 for k in keys.values() if len(k) > 1)}))
