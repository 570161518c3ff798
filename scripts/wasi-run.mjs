// Runs a wasm32-wasip1 program (such as the citylots benchmark built for wasm) under Node's
// WASI, so that the engine's speed in wasm is measured by the very code measured natively.
// Usage: node scripts/wasi-run.mjs PROGRAM.wasm [ARGS...]
// The directory $EVENTYARD_BENCH_DATA (default ./bench-data) is visible to it as /data, and
// the workload's description, ../shared/bench (or $EVENTYARD_BENCH_SPEC), as /spec.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WASI } from 'node:wasi';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('usage: node scripts/wasi-run.mjs PROGRAM.wasm [ARGS...]');
  process.exit(2);
}
const data = resolve(process.env.EVENTYARD_BENCH_DATA ?? 'bench-data');
const spec = resolve(process.env.EVENTYARD_BENCH_SPEC ?? '../shared/bench');
const wasi = new WASI({
  version: 'preview1',
  args: [program, ...args],
  env: { EVENTYARD_BENCH_DATA: '/data', EVENTYARD_BENCH_SPEC: '/spec', EVENTYARD_RUNTIME: `wasm (Node ${process.version}, WASI)` },
  preopens: { '/data': data, '/spec': spec },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
