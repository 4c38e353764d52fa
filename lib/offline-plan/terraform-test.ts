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
}

interface Message {
  readonly type?: string;
  readonly '@testrun'?: string;
  readonly test_run?: { readonly run?: string; readonly progress?: string; readonly status?: string };
  readonly diagnostic?: { readonly severity?: string; readonly summary?: string; readonly detail?: string; readonly address?: string };
  readonly test_plan?: { readonly resource_changes?: readonly { readonly change?: { readonly actions?: readonly string[] } }[] };
  readonly test_state?: { readonly outputs?: Record<string, { readonly value?: unknown }> };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

export function parseTestOutput(stdout: string): TestReport {
  const runs: Record<string, RunStatus> = {};
  const failures: TestFailure[] = [];
  const seen = new Set<string>();
  let toCreate: number | undefined;
  let outputs: Record<string, unknown> | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      continue;
    }
    const run = message['@testrun'];
    if (message.type === 'test_run' && message.test_run?.progress === 'complete' && run !== undefined) {
      runs[run] = (message.test_run.status ?? 'error') as RunStatus;
    } else if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') {
      const detail = firstLine(message.diagnostic.detail);
      const summary = `${message.diagnostic.summary ?? 'error'}${detail !== '' ? `: ${detail}` : ''}`;
      const failure: TestFailure = {
        run: run ?? 'setup',
        summary,
        ...(message.diagnostic.address !== undefined ? { address: message.diagnostic.address } : {}),
      };
      // Terraform repeats a run's errors when it tears the run down.
      const key = `${failure.summary}|${failure.address ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        failures.push(failure);
      }
    } else if (message.type === 'test_plan' && run === 'plan') {
      toCreate = (message.test_plan?.resource_changes ?? []).filter((c) => c.change?.actions?.includes('create') === true).length;
    } else if (message.type === 'test_state' && run === 'apply') {
      outputs = Object.fromEntries(Object.entries(message.test_state?.outputs ?? {}).map(([name, output]) => [name, output.value]));
    }
  }
  return { runs, failures, ...(toCreate !== undefined ? { toCreate } : {}), ...(outputs !== undefined ? { outputs } : {}) };
}
