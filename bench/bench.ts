/**
 * `npm run bench [-- --tier S|M|L] [--seed K] [--no-clean] [--no-z3] [--workers N]`:
 * prints a table and, as its last line, one JSON object with every figure.
 */
import { availableParallelism } from 'node:os';
import { runBench, table, TIERS, type TierName } from './harness.js';

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench -- [--tier S|M|L] [--seed K] [--no-clean] [--no-z3] [--workers N]\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  let tier: TierName = 'S';
  let seed = 1;
  let clean = true;
  let z3: boolean | undefined;
  // Both cores by default: the exfiltration verdicts are independent units.
  let workers = availableParallelism() > 1 ? 1 : 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tier') {
      const t = (argv[++i] ?? '').toUpperCase();
      if (t !== 'S' && t !== 'M' && t !== 'L') usage(`--tier must be S, M or L, not '${argv[i]}'`);
      tier = t;
    } else if (a === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed) || seed < 0) usage('--seed must be a whole number');
    } else if (a === '--no-clean') clean = false;
    else if (a === '--no-z3') z3 = false;
    else if (a === '--z3') z3 = true;
    else if (a === '--workers') {
      workers = Number(argv[++i]);
      if (!Number.isInteger(workers) || workers < 0) usage('--workers must be a whole number');
    }
    else usage(`unknown argument '${a}'`);
  }
  const result = await runBench(TIERS[tier], { seed, clean, workers, ...(z3 !== undefined ? { z3 } : {}), log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${table(result.figures)}\n`);
  for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`${JSON.stringify(result.figures)}\n`);
}

await main(process.argv.slice(2));
