// Compiles every .sol file under the given source directories with the pinned solc (WebAssembly) and
// writes, per contract, NAME.abi (JSON) and NAME.bin (creation bytecode, hex) into the output
// directory. Usage: node compile.js OUT_DIR SRC_DIR... (imports resolve against the source dirs).
// Fails on any compiler error and on a deployed contract over the 24,576-byte limit (EIP-170).
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', '..', '.cache', 'eth-toolchain', 'node_modules', 'solc'));

const [outDir, ...srcDirs] = process.argv.slice(2);
if (!outDir || srcDirs.length === 0) {
  console.error('usage: node compile.js OUT_DIR SRC_DIR...');
  process.exit(2);
}
const sources = {};
const own = new Set();
for (const dir of srcDirs) {
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
    if (dir === srcDirs[0]) own.add(f);
  }
}
// The optimizer's `runs` per file, 200 for the others. The verifier's four stage contracts run once a proof and are code
// heavy, so a higher value (more inlining, constants as literals) buys execution gas for deployed bytes; each value is
// the cheapest on alexa_v0.1's proofs whose contract stays within EIP-170's limit (docs/ethereum.md, branch gas23; the lookup
// stage's 10000 → 100000 in branch code27, since it fits again: 23,676 bytes).
const RUNS = { 'ZkmlLookupStage.sol': 100000, 'ZkmlLayerStage.sol': 100000, 'ZkmlOpeningStage.sol': 1000, 'ZkmlFinalStage.sol': 100000 };
const groups = new Map();
for (const f of own) {
  const runs = RUNS[f] || 200;
  if (!groups.has(runs)) groups.set(runs, []);
  groups.get(runs).push(f);
}
const contracts = {};
const errors = [];
for (const [runs, files] of groups) {
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs },
      viaIR: true,
      evmVersion: 'cancun',
      // Code only for the first directory's contracts: the others are imports, compiled (once) by their own run.
      outputSelection: Object.fromEntries(files.map((f) => [f, { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] }])),
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: (p) => (sources[p] ? { contents: sources[p].content } : { error: 'not found: ' + p }) }));
  for (const e of out.errors || []) {
    console.error(e.formattedMessage);
    if (e.severity === 'error') errors.push(e);
  }
  for (const f of files) if (out.contracts && out.contracts[f]) contracts[f] = out.contracts[f];
}
if (errors.length > 0) process.exit(1);
fs.mkdirSync(outDir, { recursive: true });
for (const [file, cs] of Object.entries(contracts)) {
  for (const [name, c] of Object.entries(cs)) {
    if (c.evm.bytecode.object.length === 0) continue; // an interface or abstract contract
    const size = c.evm.deployedBytecode.object.length / 2;
    if (size > 24576) {
      console.error(`${name}: ${size} bytes deployed, over the 24,576-byte limit`);
      process.exit(1);
    }
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
    console.log(`solc ${solc.version()}: ${name} ${size} bytes`);
  }
}
