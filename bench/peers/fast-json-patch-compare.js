// The peer of `infradiff diff A B --format json-patch`: read and parse both files, compare, write the patch.
"use strict";
const fs = require("fs");
const jsonpatch = require("fast-json-patch");

const before = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const after = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const patch = jsonpatch.compare(before, after, true);
fs.writeFileSync(process.argv[4], JSON.stringify(patch));
