import type { Measurement } from './measure';

export type ScenarioGroup = 'a' | 'b' | 'c' | 'd';

/** The measured runs of one scenario and their medians. */
export interface ScenarioResult {
  readonly id: string;
  readonly group: ScenarioGroup;
  readonly label: string;
  /** Stacks each run must write (checked by counting <outdir>/stacks). */
  readonly stacksWritten: number;
  /** Stacks in the organisation the run reads. */
  readonly organisationStacks: number;
  readonly command: string;
  readonly runs: readonly Measurement[];
  readonly medianWallSeconds: number;
  readonly medianPeakMb: number;
  /** Median user + system CPU seconds: the steadier figure when other work shares the machine. */
  readonly medianCpuSeconds: number;
  /** Median wall time of (c) divided by this one's: how many times faster than the baseline. */
  readonly speedupVsBaseline: number | null;
  /** Median peak memory of (c) divided by this one's: how many times less memory than the baseline. */
  readonly memoryReductionVsBaseline: number | null;
}

export interface TargetCheck {
  readonly scenario: ScenarioGroup;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of each scenario, and ratios against the baseline scenario (group c) when measured. */
export function summarise(
  scenarios: readonly { id: string; group: ScenarioGroup; label: string; stacksWritten: number; organisationStacks: number; command: string }[],
  runs: ReadonlyMap<string, readonly Measurement[]>,
): ScenarioResult[] {
  const medians = scenarios.map((scenario) => {
    const measured = runs.get(scenario.id) ?? [];
    return {
      ...scenario,
      runs: measured,
      medianWallSeconds: median(measured.map((m) => m.wallSeconds)),
      medianPeakMb: median(measured.map((m) => m.peakMb)),
      medianCpuSeconds: median(measured.map((m) => m.cpuSeconds)),
    };
  });
  const baseline = medians.find((s) => s.group === 'c');
  return medians.map((s) => ({
    ...s,
    speedupVsBaseline: baseline === undefined ? null : baseline.medianWallSeconds / s.medianWallSeconds,
    memoryReductionVsBaseline: baseline === undefined ? null : baseline.medianPeakMb / s.medianPeakMb,
  }));
}

export const TARGETS = {
  tagSpeedupAtLeast: 20,
  tagPeakMbBelow: 150,
  matrixWallSecondsBelow: 3,
  matrixPeakMbBelow: 400,
  flatRatioAtMost: 1.5,
} as const;

/** The design targets; a miss is reported, never thrown: this is a benchmark, not a test. */
export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const tag = results.find((r) => r.group === 'a');
  if (tag !== undefined) {
    if (tag.speedupVsBaseline !== null) {
      checks.push({
        scenario: 'a',
        target: `at least ${TARGETS.tagSpeedupAtLeast}x faster than (c)`,
        measured: `${tag.speedupVsBaseline.toFixed(1)}x`,
        pass: tag.speedupVsBaseline >= TARGETS.tagSpeedupAtLeast,
      });
    }
    checks.push({
      scenario: 'a',
      target: `peak memory below ${TARGETS.tagPeakMbBelow} MB`,
      measured: `${tag.medianPeakMb.toFixed(0)} MB`,
      pass: tag.medianPeakMb < TARGETS.tagPeakMbBelow,
    });
  }
  const matrix = results.find((r) => r.group === 'b');
  if (matrix !== undefined) {
    checks.push({
      scenario: 'b',
      target: `wall time below ${TARGETS.matrixWallSecondsBelow} s`,
      measured: `${matrix.medianWallSeconds.toFixed(2)} s`,
      pass: matrix.medianWallSeconds < TARGETS.matrixWallSecondsBelow,
    });
    checks.push({
      scenario: 'b',
      target: `peak memory below ${TARGETS.matrixPeakMbBelow} MB`,
      measured: `${matrix.medianPeakMb.toFixed(0)} MB`,
      pass: matrix.medianPeakMb < TARGETS.matrixPeakMbBelow,
    });
  }
  const growth = results.filter((r) => r.group === 'd');
  if (growth.length >= 2) {
    for (const [what, of] of [
      ['wall time', (r: ScenarioResult) => r.medianWallSeconds],
      ['peak memory', (r: ScenarioResult) => r.medianPeakMb],
    ] as const) {
      const values = growth.map(of);
      const ratio = Math.max(...values) / Math.min(...values);
      checks.push({
        scenario: 'd',
        target: `flat ${what}: largest/smallest median at most ${TARGETS.flatRatioAtMost}x over ${growth.map((r) => r.organisationStacks).join('/')} stacks`,
        measured: `${ratio.toFixed(2)}x`,
        pass: ratio <= TARGETS.flatRatioAtMost,
      });
    }
  }
  return checks;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** A plain-text table: one row per scenario, then the target checks. */
export function formatTable(results: readonly ScenarioResult[], checks: readonly TargetCheck[]): string {
  const header = ['scenario', 'stacks', 'org', 'runs', 'wall s', 'wall min-max', 'cpu s', 'peak MB', 'procs', 'time vs (c)', 'memory vs (c)'];
  const rows = results.map((r) => [
    r.label,
    String(r.stacksWritten),
    String(r.organisationStacks),
    String(r.runs.length),
    r.medianWallSeconds.toFixed(2),
    `${Math.min(...r.runs.map((m) => m.wallSeconds)).toFixed(2)}-${Math.max(...r.runs.map((m) => m.wallSeconds)).toFixed(2)}`,
    r.medianCpuSeconds.toFixed(2),
    r.medianPeakMb.toFixed(0),
    String(Math.max(...r.runs.map((m) => m.concurrentProcesses))),
    r.group === 'c' ? 'baseline' : r.speedupVsBaseline === null ? '-' : `${r.speedupVsBaseline.toFixed(1)}x faster`,
    r.group === 'c' ? 'baseline' : r.memoryReductionVsBaseline === null ? '-' : `${r.memoryReductionVsBaseline.toFixed(1)}x less`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => pad(cell, widths[i], i === 0 ? 'left' : 'right')).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(
    '',
    'stacks: written per run (checked); org: workload stacks in the organisation read.',
    'wall s, cpu s (user + system) and peak MB (max RSS) are medians; vs (c): the median of (c) over this one.',
    'procs: most processes over 8 MB seen alive at once in a run (peak MB adds up their RSS when there are several).',
  );
  if (checks.length > 0) {
    out.push('', 'targets:');
    for (const check of checks) out.push(`  ${check.pass ? 'PASS' : 'MISS'}  (${check.scenario}) ${check.target}: ${check.measured}`);
  }
  return out.join('\n');
}
