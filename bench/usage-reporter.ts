// Preloaded into every Node process of a measured run (NODE_OPTIONS=--require) when the
// benchmark measures with the `reporter` method (see measure.ts): appends
// "<pid> <peak RSS in KiB> <user + system CPU in microseconds>" at exit.
import { appendFileSync } from 'node:fs';

const file = process.env.MULTIREGION_BENCH_USAGE_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
