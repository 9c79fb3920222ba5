#!/usr/bin/env python3
"""Writes two infradiff snapshots whose `files` section has N entries: 1% changed, 0.1% added, 0.1% removed."""
import hashlib
import json
import random
import sys

count = int(sys.argv[1])
before_path, after_path = sys.argv[2], sys.argv[3]
rng = random.Random(6902)


def entry(i, salt=""):
    return {
        "gid": 0,
        "group": "root",
        "mode": "0755" if i % 7 == 0 else "0644",
        "owner": "root",
        "sha256": hashlib.sha256(f"{i}{salt}".encode()).hexdigest(),
        "size": (i * 7919) % 1_000_000,
        "type": "file",
        "uid": 0,
    }


def path(i):
    return f"/usr/share/pkg{i % 997}/dir{i % 101}/file{i}.dat"


before = {path(i): entry(i) for i in range(count)}
after = dict(before)
indices = list(range(count))
rng.shuffle(indices)
changed = indices[: count // 100]
removed = indices[count // 100 : count // 100 + count // 1000]
for i in changed:
    after[path(i)] = entry(i, "changed")
for i in removed:
    del after[path(i)]
for i in range(count, count + count // 1000):
    after[path(i)] = entry(i)


def snapshot(files, taken_at):
    return {
        "schemaVersion": 1,
        "metadata": {"collectors": {"files": {"durationMs": 1, "status": "ok"}}, "host": "bench", "takenAt": taken_at, "tool": "generate.py"},
        "files": files,
    }


for target, files, taken_at in ((before_path, before, "2026-11-27T00:00:00Z"), (after_path, after, "2026-11-27T01:00:00Z")):
    with open(target, "w", encoding="utf-8") as out:
        json.dump(snapshot(files, taken_at), out, indent=2, sort_keys=True)
        out.write("\n")
print(f"{count} entries: {len(changed)} changed, {len(removed)} removed, {count // 1000} added")
