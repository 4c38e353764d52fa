/**
 * What keeps the offline plan offline and side-effect free. It runs a stack's configuration on the
 * user's machine, so the scratch copy keeps only what the plan can contain:
 * - one canonical shape first: Terraform JSON also accepts lists where objects usually stand
 *   (`"resource": [{...}]`, `"name": [{...}]`, `"aws": {...}` for a provider list), and every
 *   check below reads the canonical shape, so a list cannot carry anything past them;
 * - no command runs: provisioners and connections are removed, and a `provisioner` key left
 *   anywhere afterwards refuses the stack (fail closed);
 * - nothing is fetched or run that the copy does not control: a stack with `module` blocks (init
 *   would fetch and run them uncleaned), `ephemeral` resources (read from AWS at plan) or a
 *   provider outside a short list of local-only ones is refused, with the reason;
 * - nothing reads AWS: `check` blocks (their data sources read AWS, and they only warn) and
 *   `import` blocks (an import reads the real resource) are removed, and every aws provider block
 *   keeps only alias, region and tags (see offlineProviders).
 */

type Json = Record<string, unknown>;

/** Providers a copy may use: hashicorp/aws (made offline) and providers that compute locally. */
const AWS_SOURCES = new Set(['aws', 'hashicorp/aws', 'registry.terraform.io/hashicorp/aws']);
const LOCAL_ONLY_PROVIDERS = new Set(['hashicorp/random', 'hashicorp/time', 'hashicorp/tls', 'hashicorp/null', 'terraform.io/builtin/terraform']);

function canonicalSource(source: string): string {
  return source.replace(/^registry\.terraform\.io\//, '').replace(/^([a-z0-9-]+)$/, 'hashicorp/$1');
}

/** Merges the list forms of a two-level block map (`resource`, `data`) into one object; a name given twice is refused. */
function canonicalBlocks(value: unknown, section: string, problems: string[]): Record<string, Record<string, Json>> {
  const merged: Record<string, Record<string, Json>> = {};
  for (const part of Array.isArray(value) ? value : [value]) {
    if (typeof part !== 'object' || part === null) continue;
    for (const [type, instances] of Object.entries(part as Json)) {
      for (const byName of Array.isArray(instances) ? instances : [instances]) {
        if (typeof byName !== 'object' || byName === null) continue;
        for (const [name, body] of Object.entries(byName as Json)) {
          const bodies = Array.isArray(body) ? body : [body];
          if (bodies.length !== 1 || (merged[type] ?? {})[name] !== undefined) {
            problems.push(`${section}.${type}.${name} is given more than once`);
            continue;
          }
          (merged[type] ??= {})[name] = bodies[0] as Json;
        }
      }
    }
  }
  return merged;
}

function hasKeyDeep(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKeyDeep(v, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || hasKeyDeep(v, key));
}

export interface Contained {
  /** The canonical copy, with what could reach out removed. */
  readonly config: Json;
  /** Why the stack cannot be planned offline at all; empty when it can. */
  readonly refusals: readonly string[];
  /** What was removed, for the report: `check blocks`, `provisioners of terraform_data.x`... */
  readonly removed: readonly string[];
}

export function contain(synthesized: Json): Contained {
  const refusals: string[] = [];
  const removed: string[] = [];
  const config: Json = JSON.parse(JSON.stringify(synthesized)) as Json;
  for (const section of ['resource', 'data'] as const) {
    if (config[section] !== undefined) config[section] = canonicalBlocks(config[section], section, refusals);
  }
  // Provider blocks: a list per local name, whichever way they were written.
  const providers: Record<string, Json[]> = {};
  for (const part of Array.isArray(config.provider) ? config.provider : [config.provider ?? {}]) {
    for (const [name, blocks] of Object.entries(part as Json))
      providers[name] = [...(providers[name] ?? []), ...((Array.isArray(blocks) ? blocks : [blocks]) as Json[])];
  }
  config.provider = providers;

  if (config.module !== undefined) refusals.push('it calls modules, which terraform init would fetch and run without the offline clean-up');
  if (config.ephemeral !== undefined) refusals.push('it has ephemeral resources, which read AWS while planning');
  const dropped: Record<string, string> = {
    check: 'check blocks (their data sources read AWS; they only warn)',
    import: 'import blocks (an import reads the real resource)',
    removed: 'removed blocks (a fresh plan has nothing to remove)',
  };
  for (const [section, why] of Object.entries(dropped)) {
    if (config[section] !== undefined) {
      delete config[section];
      removed.push(why);
    }
  }

  const required = (((config.terraform ?? {}) as Json).required_providers ?? {}) as Record<string, { source?: string } | string>;
  const localNames = new Set([...Object.keys(required), ...Object.keys(providers)]);
  for (const name of localNames) {
    const declared = required[name];
    const source = canonicalSource(typeof declared === 'string' ? name : (declared?.source ?? name));
    if (AWS_SOURCES.has(source) || source === 'hashicorp/aws') {
      if (name !== 'aws') refusals.push(`it declares hashicorp/aws under the local name '${name}': the offline plan contains and mocks it only as 'aws'`);
    } else if (!LOCAL_ONLY_PROVIDERS.has(source)) {
      refusals.push(
        `it uses the provider ${source}, which the offline plan cannot keep from reaching out (it runs hashicorp/aws and the local-only random, time, tls and null)`,
      );
    }
  }

  for (const [type, instances] of Object.entries((config.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [name, body] of Object.entries(instances)) {
      if ('provisioner' in body || 'connection' in body) {
        delete body.provisioner;
        delete body.connection;
        removed.push(`the provisioners of ${type}.${name}`);
      }
    }
  }
  // Fail closed: a provisioner anywhere else (a nested or unexpected shape) is not run, it is refused.
  if (hasKeyDeep(config.resource, 'provisioner') || hasKeyDeep(config.data, 'provisioner')) {
    refusals.push('it has a provisioner where the offline plan cannot remove it');
  }
  return { config, refusals, removed };
}
