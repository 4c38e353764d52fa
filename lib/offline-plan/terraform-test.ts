/**
 * Reading `terraform test -json` (one JSON object per line): how each run ended, the errors with
 * the resource they name, the plan's size and, with -verbose, the state's outputs after apply.
 */

export type RunStatus = 'pass' | 'fail' | 'error' | 'skip' | 'not run';

export interface TestFailure {
  /** `plan`, `apply`, or `setup` for what failed before either run. */
  readonly run: string;
  /** The error's summary, with the first line of its detail. */
  readonly summary: string;
  /** The resource or data source the error names, when it names one. */
  readonly address?: string;
}

export interface TestReport {
  readonly runs: Readonly<Record<string, RunStatus>>;
  readonly failures: readonly TestFailure[];
  /** Resource instances the plan run would create (with -verbose only). */
  readonly toCreate?: number;
  /** Output values after the apply run (with -verbose only). */
  readonly outputs?: Record<string, unknown>;
  /** From the file's start to its end, as terraform stamps them. */
  readonly seconds?: number;
}

interface Message {
  readonly type?: string;
  readonly '@testrun'?: string;
  readonly '@testfile'?: string;
  readonly '@timestamp'?: string;
  readonly test_file?: { readonly progress?: string; readonly status?: string };
  readonly test_run?: { readonly run?: string; readonly progress?: string; readonly status?: string };
  readonly diagnostic?: {
    readonly severity?: string;
    readonly summary?: string;
    readonly detail?: string;
    readonly address?: string;
    readonly snippet?: { readonly context?: string };
  };
  readonly test_plan?: { readonly resource_changes?: readonly { readonly change?: { readonly actions?: readonly string[] } }[] };
  readonly test_state?: { readonly outputs?: Record<string, { readonly value?: unknown }> };
}

/**
 * The resource a diagnostic names: its address, else the block its source snippet sits in
 * (`resource.aws_lb.web.default_action[0]` → `aws_lb.web`), as for an invalid for_each.
 */
function addressOf(diagnostic: NonNullable<Message['diagnostic']>): string | undefined {
  if (diagnostic.address !== undefined) return diagnostic.address;
  const block = /^(resource|data)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/.exec(diagnostic.snippet?.context ?? '');
  if (block === null) return undefined;
  return block[1] === 'data' ? `data.${block[2]}.${block[3]}` : `${block[2]}.${block[3]}`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

/** One test file's report as it builds up. */
class FileReport {
  readonly runs: Record<string, RunStatus> = {};
  readonly failures: TestFailure[] = [];
  private readonly seen = new Set<string>();
  toCreate?: number;
  outputs?: Record<string, unknown>;
  started?: number;
  finished?: number;

  add(message: Message): void {
    const run = message['@testrun'];
    if (message.type === 'test_run' && message.test_run?.progress === 'complete' && run !== undefined) {
      this.runs[run] = (message.test_run.status ?? 'error') as RunStatus;
    } else if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') {
      const detail = firstLine(message.diagnostic.detail);
      const summary = `${message.diagnostic.summary ?? 'error'}${detail !== '' ? `: ${detail}` : ''}`;
      const address = addressOf(message.diagnostic);
      const failure: TestFailure = { run: run ?? 'setup', summary, ...(address !== undefined ? { address } : {}) };
      // Terraform repeats a run's errors when it tears the run down.
      const key = `${failure.summary}|${failure.address ?? ''}`;
      if (!this.seen.has(key)) {
        this.seen.add(key);
        this.failures.push(failure);
      }
    } else if (message.type === 'test_plan' && run === 'plan') {
      this.toCreate = (message.test_plan?.resource_changes ?? []).filter((c) => c.change?.actions?.includes('create') === true).length;
    } else if (message.type === 'test_state' && run === 'apply') {
      this.outputs = Object.fromEntries(Object.entries(message.test_state?.outputs ?? {}).map(([name, output]) => [name, output.value]));
    } else if (message.type === 'test_file') {
      const at = Date.parse(message['@timestamp'] ?? '');
      if (message.test_file?.progress === 'starting' && !Number.isNaN(at)) this.started = at;
      if (message.test_file?.progress === 'complete' && !Number.isNaN(at)) this.finished = at;
    }
  }

  report(): TestReport {
    return {
      runs: { ...this.runs },
      failures: [...this.failures],
      ...(this.toCreate !== undefined ? { toCreate: this.toCreate } : {}),
      ...(this.outputs !== undefined ? { outputs: this.outputs } : {}),
      ...(this.started !== undefined && this.finished !== undefined ? { seconds: (this.finished - this.started) / 1000 } : {}),
    };
  }
}

function messageOf(line: string): Message | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Message;
  } catch {
    return undefined;
  }
}

/**
 * Reads `terraform test -json` line by line when one process runs many test files: each file's
 * report, handed over as soon as terraform says the file is complete. Messages of no file (an
 * error loading the configuration) are the `setup` report.
 */
export class TestOutputReader {
  private readonly files = new Map<string, FileReport>();
  private readonly setup = new FileReport();

  constructor(private readonly onFileComplete?: (file: string, report: TestReport) => void) {}

  line(text: string): void {
    const message = messageOf(text);
    if (message === undefined) return;
    const file = message['@testfile'];
    if (file === undefined) {
      this.setup.add(message);
      return;
    }
    let report = this.files.get(file);
    if (report === undefined) {
      report = new FileReport();
      this.files.set(file, report);
    }
    report.add(message);
    if (message.type === 'test_file' && message.test_file?.progress === 'complete') this.onFileComplete?.(file, report.report());
  }

  /** A file's report; what failed outside any file counts for every file. */
  reportOf(file: string): TestReport {
    const own = this.files.get(file)?.report() ?? { runs: {}, failures: [] };
    return { ...own, failures: [...this.setup.report().failures, ...own.failures] };
  }
}

/** The report of a run of one test file. */
export function parseTestOutput(stdout: string): TestReport {
  const report = new FileReport();
  for (const line of stdout.split('\n')) {
    const message = messageOf(line);
    if (message !== undefined) report.add(message);
  }
  return report.report();
}
