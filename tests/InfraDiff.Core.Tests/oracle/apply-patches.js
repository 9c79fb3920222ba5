// Applies RFC 6902 patches with fast-json-patch, an implementation independent of infradiff, and reports
// whether each one turns BEFORE into AFTER. Input: a JSON Lines file, one {"before", "after", "patches": {name: [...]}}
// a line. Output: one JSON line a case, {"case": n, "results": {name: "ok" | "<what went wrong>"}}.
"use strict";
const fs = require("fs");
const jsonpatch = require("fast-json-patch");

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.length > 0);
const out = [];
lines.forEach((line, index) => {
  const test = JSON.parse(line);
  const results = {};
  for (const [name, patch] of Object.entries(test.patches)) {
    try {
      const document = JSON.parse(JSON.stringify(test.before));
      const patched = jsonpatch.applyPatch(document, patch, true, true).newDocument;
      results[name] = deepEqual(patched, test.after) ? "ok" : "applied, but the result is not AFTER: " + JSON.stringify(patched).slice(0, 300);
    } catch (e) {
      results[name] = "failed to apply: " + (e.name || "") + " " + (e.message || "").split("\n")[0];
    }
  }
  out.push(JSON.stringify({ case: index, results }));
});
process.stdout.write(out.join("\n") + "\n");
