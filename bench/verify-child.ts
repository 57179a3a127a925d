/**
 * `topo verify` as a user runs it, in a process of its own, so that the
 * benchmark can read its peak memory apart from everything else the
 * benchmark keeps: prints one JSON line with the exit code, the time main
 * took and the process's peak resident memory.
 */
import { main } from '../src/cli/main.js';

const t0 = performance.now();
const code = await main(process.argv.slice(2));
process.stdout.write(`${JSON.stringify({ code, ms: performance.now() - t0, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
