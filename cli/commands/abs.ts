import { Option, type Command } from 'commander';
import { catalogueAgeDays, catalogueAgeWarning, defaultCatalogue } from '../../lib/abs/catalogue';
import { ARCHITECTURES, type Architecture } from '../../lib/abs/instance-type-info';
import { groupByFamily, matchInstanceTypes, type PurchaseOption } from '../../lib/abs/matcher';
import type { InstanceRequirementsJson, RangeJson } from '../../lib/abs/requirements-json';
import { MIN_RECOMMENDED_TYPES, previewStack, type RequirementsPreview } from '../../lib/abs/stack-preview';
import { UserError } from '../../lib/errors';
import { isKnownRegion } from '../../lib/regions';
import { stackSpecById } from '../../lib/stack-spec';
import { organisationFor } from '../context';
import { bold, dim, printJson, yellow } from '../output';

/** Parses an `a:b` range (either side optional) of non-negative numbers. */
export function parseRange(flag: string, text: string, scale = 1): RangeJson {
  const match = /^([0-9]+(?:\.[0-9]+)?)?:([0-9]+(?:\.[0-9]+)?)?$/.exec(text);
  if (match === null || (match[1] === undefined && match[2] === undefined)) {
    throw new UserError(`${flag} '${text}' is not a range: expected min:max with either side optional, e.g. 8: or 4:16 or :64`);
  }
  const min = match[1] === undefined ? undefined : Number(match[1]) * scale;
  const max = match[2] === undefined ? undefined : Number(match[2]) * scale;
  if (min !== undefined && max !== undefined && min > max) throw new UserError(`${flag} '${text}': the minimum is above the maximum`);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function parseList<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
  if (items.length === 0 || bad.length > 0) {
    throw new UserError(`${flag} '${text}' is not valid: expected a comma-separated list of ${allowed.join(', ')}`);
  }
  return items as T[];
}

function integerRange(flag: string, range: RangeJson): RangeJson {
  for (const v of [range.min, range.max]) {
    if (v !== undefined && !Number.isInteger(v)) throw new UserError(`${flag}: expected whole numbers, got ${v}`);
  }
  return range;
}

const INCLUSION = ['included', 'required', 'excluded'] as const;
/** The ad-hoc requirement flags (commander attribute names); none of them goes with --stack. */
const AD_HOC_FLAGS = [
  'vcpus',
  'memoryGib',
  'memoryGibPerVcpu',
  'region',
  'cpuManufacturers',
  'generations',
  'allowedTypes',
  'excludedTypes',
  'burstable',
  'bareMetal',
  'spot',
];

interface AdHocOptions {
  vcpus?: string;
  memoryGib?: string;
  memoryGibPerVcpu?: string;
  region?: string;
  arch?: string;
  cpuManufacturers?: string;
  generations?: string;
  allowedTypes?: string;
  excludedTypes?: string;
  burstable?: (typeof INCLUSION)[number];
  bareMetal?: (typeof INCLUSION)[number];
  spot?: boolean;
}

/** Builds the Terraform-shaped requirements of the ad-hoc flags. */
export function requirementsFromFlags(options: AdHocOptions): InstanceRequirementsJson {
  const vcpu = options.vcpus === undefined ? undefined : integerRange('--vcpus', parseRange('--vcpus', options.vcpus));
  if (vcpu === undefined) {
    throw new UserError('abs preview needs --stack <id>, or ad-hoc requirements with at least --vcpus (e.g. --vcpus 2:8 --memory-gib 4:)');
  }
  // AWS requires a memory range but accepts a minimum of 0: without --memory-gib, any memory
  // (typically narrowed by --memory-gib-per-vcpu).
  const memory = options.memoryGib === undefined ? {} : parseRange('--memory-gib', options.memoryGib, 1024);
  const requirements: Record<string, unknown> = {
    vcpu_count: { min: vcpu.min ?? 0, ...(vcpu.max !== undefined ? { max: vcpu.max } : {}) },
    memory_mib: { min: Math.round(memory.min ?? 0), ...(memory.max !== undefined ? { max: Math.round(memory.max) } : {}) },
  };
  if (options.memoryGibPerVcpu !== undefined) requirements.memory_gib_per_vcpu = parseRange('--memory-gib-per-vcpu', options.memoryGibPerVcpu);
  // --burstable and --bare-metal are checked by commander (Option.choices).
  if (options.burstable !== undefined) requirements.burstable_performance = options.burstable;
  if (options.bareMetal !== undefined) requirements.bare_metal = options.bareMetal;
  if (options.cpuManufacturers !== undefined)
    requirements.cpu_manufacturers = parseList('--cpu-manufacturers', options.cpuManufacturers, ['intel', 'amd', 'amazon-web-services', 'apple'] as const);
  if (options.generations !== undefined) requirements.instance_generations = parseList('--generations', options.generations, ['current', 'previous'] as const);
  const globs = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (options.allowedTypes !== undefined) requirements.allowed_instance_types = globs(options.allowedTypes);
  if (options.excludedTypes !== undefined) requirements.excluded_instance_types = globs(options.excludedTypes);
  return requirements as InstanceRequirementsJson;
}

function catalogueLine(now: Date): { line: string; warning?: string; date: string; ageDays: number } {
  const catalogue = defaultCatalogue();
  const ageDays = catalogueAgeDays(now, catalogue);
  const warning = catalogueAgeWarning(now, catalogue);
  return {
    line: `catalogue: ${catalogue.types.length} instance types, data of ${catalogue.dataDate} (${ageDays} days old)`,
    warning,
    date: catalogue.dataDate,
    ageDays,
  };
}

function printFamilies(families: Record<string, string[]>): string {
  return Object.entries(families)
    .map(([family, types]) => `    ${family.padEnd(8)} ${types.map((t) => t.slice(family.length + 1)).join(' ')}`)
    .join('\n');
}

function printPreview(p: RequirementsPreview): string {
  const head = `${bold(p.resource)} ${dim(p.block)}${p.path === '' ? '' : `  ${p.path}`}`;
  const facts = `  ${p.count} type(s) in ${p.region} for ${p.architectures.join('+')}, ${p.purchaseOption}; price protection ${p.priceProtectionApplied ? 'applied' : 'not applied'}`;
  return [head, facts, printFamilies(p.families), ...p.warnings.map((w) => `  ${yellow('warning:')} ${w}`), ...p.notes.map((n) => `  ${dim(`note: ${n}`)}`)]
    .filter((l) => l !== '')
    .join('\n');
}

export function registerAbsCommands(program: Command): void {
  const abs = program.command('abs').description('attribute-based instance type selection (ABS) tools');
  abs
    .command('preview')
    .description('which instance types ABS requirements match, offline, from the committed catalogue')
    .addOption(new Option('--stack <id>', 'preview every ABS resource of this stack (see multiregion matrix)').conflicts([...AD_HOC_FLAGS, 'arch']))
    .option('--vcpus <min:max>', 'vCPU range, e.g. 2:8 or 4: (required without --stack)')
    .option('--memory-gib <min:max>', 'memory range in GiB, e.g. 4:32 (default: any)')
    .option('--memory-gib-per-vcpu <min:max>', 'memory per vCPU range in GiB, e.g. 8:8')
    .option('--region <region>', 'keep types offered there and apply On-Demand price protection where prices are known')
    .option('--arch <list>', `AMI architectures: ${ARCHITECTURES.join(', ')}`, 'x86_64,arm64')
    .option('--cpu-manufacturers <list>', 'intel, amd, amazon-web-services, apple')
    .option('--generations <list>', 'current, previous (default: both)')
    .option('--allowed-types <globs>', 'comma-separated allowed instance types, e.g. m7*,c7*')
    .option('--excluded-types <globs>', 'comma-separated excluded instance types')
    .addOption(new Option('--burstable <mode>', 'burstable types (AWS default: excluded)').choices(INCLUSION))
    .addOption(new Option('--bare-metal <mode>', 'bare-metal types (AWS default: excluded)').choices(INCLUSION))
    .option('--spot', 'preview for Spot (drops On-Demand-only types)')
    .option('--json', 'print JSON')
    .action(async (options: AdHocOptions & { stack?: string; json?: boolean }, command: Command) => {
      const now = new Date();
      const catalogue = catalogueLine(now);
      if (options.stack !== undefined) {
        // --stack with ad-hoc flags is refused by commander (Option.conflicts).
        const org = organisationFor(command);
        const spec = stackSpecById(org, options.stack);
        if (spec === undefined)
          throw new UserError(
            `--stack '${options.stack}' is not a workload stack of this organisation: ABS runs only in workload stacks (npx multiregion matrix --kind workload lists them)`,
          );
        // Loaded here, not at the top: cdktf and the stacks cost a quarter second that every
        // other command (and ad-hoc previews) would pay at start-up.
        const { synthesizeWorkloadStack } = await import('../../stacks/workload-stack-factory');
        (await import('../../stacks/engine-internals')).disableTokenStackTraces();
        const previews = previewStack(synthesizeWorkloadStack(org, spec));
        if (options.json === true) {
          printJson({
            stack: spec.stack,
            region: spec.region,
            catalogue: { dataDate: catalogue.date, ageDays: catalogue.ageDays, warning: catalogue.warning ?? null },
            resources: previews,
          });
          return;
        }
        // Warnings go to stderr, so stdout stays the preview itself.
        if (catalogue.warning) process.stderr.write(`${yellow('warning:')} ${catalogue.warning}\n`);
        const lines = [catalogue.line, ''];
        if (previews.length === 0) lines.push(`stack ${spec.stack} has no instance_requirements (no ABS Auto Scaling group, fleet or launch template)`);
        for (const p of previews) lines.push(printPreview(p), '');
        process.stdout.write(`${lines.join('\n').trimEnd()}\n`);
        return;
      }
      const requirements = requirementsFromFlags(options);
      if (options.region !== undefined && !isKnownRegion(options.region))
        throw new UserError(`--region '${options.region}' is not an AWS region (expected e.g. us-east-1)`);
      const architectures = parseList<Architecture>('--arch', options.arch ?? 'x86_64,arm64', ARCHITECTURES);
      const purchaseOption: PurchaseOption = options.spot === true ? 'spot' : 'on-demand';
      const result = matchInstanceTypes(requirements, { region: options.region, architectures, purchaseOption });
      if (options.json === true) {
        printJson({
          count: result.types.length,
          types: result.types,
          priceProtectionApplied: result.priceProtectionApplied,
          notes: result.notes,
          catalogue: { dataDate: catalogue.date, ageDays: catalogue.ageDays, warning: catalogue.warning ?? null },
        });
        return;
      }
      // The advice of at least 10 types is about Spot capacity pools; On-Demand needs no spread.
      const warnings =
        purchaseOption === 'spot' && result.types.length < MIN_RECOMMENDED_TYPES
          ? [`only ${result.types.length} type(s) match; AWS advises at least ${MIN_RECOMMENDED_TYPES} for Spot`]
          : [];
      if (catalogue.warning) process.stderr.write(`${yellow('warning:')} ${catalogue.warning}\n`);
      process.stdout.write(
        [
          catalogue.line,
          `${result.types.length} type(s)${options.region ? ` in ${options.region}` : ' (any region)'} for ${architectures.join('+')}, ${purchaseOption}; price protection ${result.priceProtectionApplied ? 'applied' : 'not applied'}`,
          printFamilies(groupByFamily(result.types)),
          ...warnings.map((w) => `${yellow('warning:')} ${w}`),
          ...result.notes.map((n) => dim(`note: ${n}`)),
        ]
          .filter((l) => l !== '')
          .join('\n') + '\n',
      );
    });
}
