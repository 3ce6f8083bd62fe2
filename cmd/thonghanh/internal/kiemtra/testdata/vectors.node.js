// Runs the page's engine (static/engine.wasm.gz with the page's own
// wasm_exec.js) under Node over the QR test vectors, and prints what it
// answered as JSON; kiemtra_test.go compares that with the vectors.
// usage: node vectors.node.js STATIC_DIR VECTORS_JSON LISTS_JSON
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
globalThis.crypto ??= require("crypto").webcrypto;
const [staticDir, vectorsPath, listsPath] = process.argv.slice(2);
require(path.resolve(staticDir, "wasm_exec.js"));

const wasm = zlib.gunzipSync(fs.readFileSync(path.join(staticDir, "engine.wasm.gz")));
const go = new Go();
WebAssembly.instantiate(wasm, go.importObject).then((inst) => {
  go.run(inst.instance);
  const vf = JSON.parse(fs.readFileSync(vectorsPath, "utf8"));
  const lists = JSON.parse(fs.readFileSync(listsPath, "utf8"));
  const opened = JSON.parse(thonghanh.open(JSON.stringify(lists)));
  if (!opened.ok) throw new Error("open: " + opened.error);
  const answers = vf.cases.map((c) =>
    JSON.parse(thonghanh.verify(c.text, c.checker.checkpoint, c.checker.at * 1000, JSON.stringify(c.checker.used_serials))));
  const listResults = vf.list_cases.map((lc) => {
    const l = Object.assign({}, lists);
    const raw = Buffer.from(lc.raw, "hex").toString("base64");
    if (lc.list === "trust") { l.trust = raw; l.held_trust = lc.held_sequence; } else { l.revocations = raw; l.held_revocations = lc.held_sequence; }
    return JSON.parse(thonghanh.open(JSON.stringify(l))).ok;
  });
  process.stdout.write(JSON.stringify({ info: opened.info, answers, lists: listResults }));
  process.exit(0);
}).catch((err) => { console.error(err); process.exit(1); });
