import { UserError } from '../errors';

/** What Terraform will do to one resource. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op';

export interface ResourceChange {
  readonly address: string;
  readonly kind: ChangeKind;
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  readonly changes: readonly ResourceChange[];
  /** Output values whose value changes. */
  readonly outputs: readonly string[];
  /** Whether applying the plan would change anything. */
  readonly hasChanges: boolean;
}

interface RawChange {
  address?: unknown;
  change?: { actions?: unknown };
}

function kindOf(actions: unknown, address: string): ChangeKind {
  if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string')) {
    throw new UserError(`plan JSON: resource ${address} has no list of actions`);
  }
  const key = (actions as string[]).join(',');
  switch (key) {
    case 'no-op':
      return 'no-op';
    case 'create':
      return 'create';
    case 'read':
      return 'read';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      throw new UserError(`plan JSON: resource ${address} has unknown actions [${key}]`);
  }
}

/** Summarizes `terraform show -json <planfile>` output. Throws on anything that is not a plan. */
export function summarizePlan(planJson: unknown): PlanSummary {
  const plan = planJson as { format_version?: unknown; resource_changes?: unknown; output_changes?: unknown };
  if (plan === null || typeof plan !== 'object' || typeof plan.format_version !== 'string') {
    throw new UserError('plan JSON: no format_version: expected the output of terraform show -json <planfile>');
  }
  const raw = (plan.resource_changes ?? []) as RawChange[];
  if (!Array.isArray(raw)) throw new UserError('plan JSON: resource_changes is not a list');
  const changes: ResourceChange[] = raw.map((c) => {
    if (typeof c.address !== 'string') throw new UserError('plan JSON: a resource change has no address');
    return { address: c.address, kind: kindOf(c.change?.actions, c.address) };
  });
  const outputs = Object.entries((plan.output_changes ?? {}) as Record<string, { actions?: unknown }>)
    .filter(([, o]) => Array.isArray(o.actions) && !(o.actions.length === 1 && o.actions[0] === 'no-op'))
    .map(([name]) => name)
    .sort();
  const count = (kind: ChangeKind): number => changes.filter((c) => c.kind === kind).length;
  const summary = { add: count('create'), change: count('update'), replace: count('replace'), destroy: count('delete') };
  return {
    ...summary,
    changes: changes.filter((c) => c.kind !== 'no-op' && c.kind !== 'read'),
    outputs,
    hasChanges: summary.add + summary.change + summary.replace + summary.destroy > 0 || outputs.length > 0,
  };
}

const SYMBOL: Record<ChangeKind, string> = { create: '+', update: '~', replace: '-/+', delete: '-', read: '<=', 'no-op': ' ' };

/** One line for the approval and notifications: counts, then what is destroyed or replaced. */
export function planHeadline(stack: string, summary: PlanSummary, maxLength = 400): string {
  const counts = `${summary.add} to add, ${summary.change} to change, ${summary.replace} to replace, ${summary.destroy} to destroy`;
  const risky = summary.changes.filter((c) => c.kind === 'delete' || c.kind === 'replace').map((c) => c.address);
  let line = summary.hasChanges ? `${stack}: ${counts}` : `${stack}: no changes`;
  if (risky.length > 0) line += `; destroys/replaces: ${risky.join(', ')}`;
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 3)}...`;
}

/** The human summary stored with the plan: headline, then one line per changed resource. */
export function planReport(stack: string, tag: string, commit: string, summary: PlanSummary): string {
  const order: ChangeKind[] = ['delete', 'replace', 'update', 'create'];
  const lines = [`Plan of ${stack} for ${tag} (commit ${commit.slice(0, 12)})`, planHeadline(stack, summary, Number.MAX_SAFE_INTEGER), ''];
  for (const kind of order) {
    for (const change of summary.changes.filter((c) => c.kind === kind)) lines.push(`  ${SYMBOL[kind].padEnd(3)} ${change.address} (${kind})`);
  }
  if (summary.outputs.length > 0) lines.push('', `outputs changing: ${summary.outputs.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
