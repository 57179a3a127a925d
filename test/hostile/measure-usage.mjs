// Preloaded with `node --import` in front of the topo CLI by hostile.test.ts:
// at exit, records the process's peak RSS and CPU time where the test reads them.
import { writeFileSync } from 'node:fs';

const target = process.env.TOPO_HOSTILE_USAGE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
