import { Option, type Command } from 'commander';
import type { Finding, SuppressedFinding } from '../../guardrails/engine';
import { PACKS, RULES } from '../../guardrails/packs';
import { UserError } from '../../lib/errors';
import { accessMatrix, toolingMatrix } from '../../lib/pipeline-spec';
import { stackMatrix, stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import type { CheckSelection } from '../../stacks/guardrail-check';
import { organisationFor } from '../context';
import { bold, dim, printJson, red, table, yellow } from '../output';

interface CheckOptions {
  stack?: string;
  tag?: string;
  env?: string;
  json?: boolean;
}

function findingJson(f: Finding): Record<string, unknown> {
  return { rule: f.rule, severity: f.severity, address: f.address, path: f.path ?? null, message: f.message, fix: f.fix, checkov: f.checkov ?? [] };
}

function printFinding(f: Finding): string {
  const level = f.severity === 'error' ? red('error  ') : yellow('warning');
  const where = f.path !== undefined && f.path !== f.address ? `${f.address} ${dim(`(${f.path})`)}` : f.address;
  return [
    `  ${level} ${bold(f.rule)} ${where}`,
    `          ${f.message}`,
    `          ${dim(`fix: ${f.fix}${f.checkov !== undefined && f.checkov.length > 0 ? ` (checkov ${f.checkov.join(', ')})` : ''}`)}`,
  ].join('\n');
}

function printSuppressed(s: SuppressedFinding): string {
  return `  ${dim(`suppressed ${s.rule} ${s.address} by ${s.suppressedBy}: ${s.reason}`)}`;
}

export function registerGuardrailCommands(program: Command): void {
  program
    .command('check')
    .description('synthesize in memory and report guardrail findings by stack (exit 1 when an error-level finding remains)')
    .addOption(new Option('--stack <id>', 'only this stack (workload, tooling or access id)').conflicts(['tag', 'env']))
    .addOption(new Option('--tag <tag>', 'only the stack of this release tag').conflicts(['env']))
    .option('--env <env>', 'only the stacks of this environment (workload, tooling and access)')
    .option('--json', 'print one JSON object')
    .action(async (options: CheckOptions, command: Command) => {
      const org = organisationFor(command);
      const selection = selectionFor(org, options);
      // Loaded on use: the stacks pull in cdktf, which other commands need not load at start-up.
      const { checkStacks } = await import('../../stacks/guardrail-check');
      (await import('../../stacks/engine-internals')).disableTokenStackTraces();
      const reports = checkStacks(org, selection);
      const errors = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
      const warnings = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
      const suppressed = reports.reduce((n, r) => n + r.suppressed.length, 0);
      if (options.json === true) {
        printJson({
          errors,
          warnings,
          suppressed,
          stacks: reports.map((r) => ({
            stack: r.stack,
            findings: r.findings.map(findingJson),
            suppressed: r.suppressed.map((s) => ({ ...findingJson(s), reason: s.reason, suppressedBy: s.suppressedBy })),
          })),
        });
      } else {
        const lines: string[] = [];
        for (const report of reports) {
          if (report.findings.length === 0 && report.suppressed.length === 0) continue;
          lines.push(bold(report.stack), ...report.findings.map(printFinding), ...report.suppressed.map(printSuppressed), '');
        }
        lines.push(`${reports.length} stack(s) checked: ${errors} error(s), ${warnings} warning(s), ${suppressed} suppressed`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (errors > 0) process.exitCode = 1;
    });

  program
    .command('rules')
    .description('list every guardrail rule: id, pack, severity, checkov equivalent, problem and fix')
    .option('--json', 'print one JSON array')
    .action((options: { json?: boolean }) => {
      if (options.json === true) {
        printJson(RULES.map((r) => ({ id: r.id, pack: r.pack, severity: r.severity, checkov: r.checkov ?? [], problem: r.problem, fix: r.fix })));
        return;
      }
      const rows = PACKS.flatMap((pack) =>
        RULES.filter((r) => r.pack === pack).map((r) => [r.id, r.pack, r.severity, (r.checkov ?? []).join(',') || '-', r.problem]),
      );
      process.stdout.write(`${table(['ID', 'PACK', 'SEVERITY', 'CHECKOV', 'PROBLEM'], rows)}\n`);
    });
}

function selectionFor(org: ReturnType<typeof organisationFor>, options: CheckOptions): CheckSelection {
  if (options.tag !== undefined) {
    const parsed = parseReleaseTag(options.tag);
    return { workload: [stackSpecForTag(org, parsed)], tooling: [], access: [], version: parsed.version };
  }
  const workload = stackMatrix(org);
  const tooling = toolingMatrix(org);
  const access = accessMatrix(org);
  if (options.stack !== undefined) {
    const selection = {
      workload: workload.filter((s) => s.stack === options.stack),
      tooling: tooling.filter((s) => s.stack === options.stack),
      access: access.filter((s) => s.stack === options.stack),
    };
    if (selection.workload.length + selection.tooling.length + selection.access.length === 0)
      throw new UserError(`--stack '${options.stack}' is not a stack of this organisation (see multiregion matrix)`);
    return selection;
  }
  if (options.env !== undefined) {
    const env = options.env;
    if (!org.environments.some((e) => e.name === env))
      throw new UserError(`--env '${env}' is not an environment of this organisation (expected one of ${org.environments.map((e) => e.name).join(', ')})`);
    return {
      workload: workload.filter((s) => s.environment === env),
      tooling: tooling.filter((s) => s.environment === env),
      access: access.filter((s) => s.environment === env),
    };
  }
  return { workload, tooling, access };
}
