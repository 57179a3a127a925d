// The z3 side of the SMT oracle, run as a CHILD process: z3's WASM build
// aborts the whole process when it runs out of its 2 GiB heap, so the test
// process only talks to it over stdin/stdout (one JSON request per line, one
// JSON answer per line) and restarts it when it dies.
//
// Request:  { id, nodes, checks: [{ name, assert: [nodeId...] }], timeoutMs }
//           nodes as built by formula.ts: ['true'] ['false'] ['in', field, [lo, hi, ...]]
//           ['not', a] ['and', ...] ['or', ...]
// Answer:   { id, results: [{ name, status: 'sat'|'unsat'|'unknown', model?: {field: n}, ms }] }
import { createInterface } from 'node:readline';
import { init, killThreads } from 'z3-solver';

const FIELDS = { proto: 8, srcIp: 32, srcPort: 16, dstIp: 32, dstPort: 16, dstName: 16 };

const api = await init();
const ctx = new api.Context('oracle');
const vars = Object.fromEntries(Object.entries(FIELDS).map(([name, bits]) => [name, ctx.BitVec.const(name, bits)]));

function build(nodes) {
  const out = new Array(nodes.length);
  nodes.forEach((n, i) => {
    switch (n[0]) {
      case 'true':
        out[i] = ctx.Bool.val(true);
        break;
      case 'false':
        out[i] = ctx.Bool.val(false);
        break;
      case 'in': {
        const v = vars[n[1]];
        const bits = FIELDS[n[1]];
        const parts = [];
        for (let k = 0; k < n[2].length; k += 2) {
          const lo = BigInt(n[2][k]);
          const hi = BigInt(n[2][k + 1]);
          parts.push(lo === hi ? v.eq(ctx.BitVec.val(lo, bits)) : ctx.And(v.uge(ctx.BitVec.val(lo, bits)), v.ule(ctx.BitVec.val(hi, bits))));
        }
        out[i] = parts.length === 1 ? parts[0] : ctx.Or(...parts);
        break;
      }
      case 'not':
        out[i] = ctx.Not(out[n[1]]);
        break;
      case 'and':
        out[i] = ctx.And(...n.slice(1).map((a) => out[a]));
        break;
      case 'or':
        out[i] = ctx.Or(...n.slice(1).map((a) => out[a]));
        break;
      default:
        throw new Error(`unknown node ${JSON.stringify(n)}`);
    }
  });
  return out;
}

async function answer(req) {
  const exprs = build(req.nodes);
  const results = [];
  for (const check of req.checks) {
    const t0 = performance.now();
    const solver = new ctx.Solver();
    solver.set('timeout', req.timeoutMs ?? 2000);
    for (const a of check.assert) solver.add(exprs[a]);
    const status = await solver.check();
    const result = { name: check.name, status, ms: Math.round(performance.now() - t0) };
    if (status === 'sat') {
      const model = solver.model();
      // Model completion: fields the formula does not constrain still get a value.
      result.model = Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, Number(model.eval(v, true).value())]));
    }
    results.push(result);
  }
  return { id: req.id, results };
}

const lines = createInterface({ input: process.stdin });
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
for await (const line of lines) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  if (req.quit) break;
  try {
    process.stdout.write(JSON.stringify(await answer(req)) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ id: req.id, error: String(error?.stack ?? error) }) + '\n');
  }
}
await killThreads(api.em);
process.exit(0);
