import { ARCHITECTURES, type Architecture } from './instance-type-info';
import { groupByFamily, matchInstanceTypes, type PurchaseOption } from './matcher';
import type { InstanceRequirementsJson } from './requirements-json';

/** AWS's advice: at least this many instance types per workload for Spot. */
export const MIN_RECOMMENDED_TYPES = 10;

/** The launch template tag that records its AMI's CPU architecture (set by AbsLaunchTemplate). */
export const ARCHITECTURE_TAG = 'multiregion:architecture';

type Json = Record<string, unknown>;

/** One `instance_requirements` block found in a synthesized stack, with what it matches. */
export interface RequirementsPreview {
  /** Terraform address of the resource, e.g. `aws_autoscaling_group.web_asg_1234`. */
  readonly resource: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** Where in the resource the block sits, e.g. `override[0]`. */
  readonly block: string;
  readonly region: string;
  readonly architectures: readonly Architecture[];
  readonly purchaseOption: PurchaseOption;
  readonly count: number;
  readonly types: string[];
  readonly families: Record<string, string[]>;
  readonly priceProtectionApplied: boolean;
  readonly warnings: string[];
  readonly notes: string[];
}

const asList = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : value === undefined || value === null ? [] : [value as Json]);

function resourcesOf(stack: Json, type: string): [string, Json][] {
  const byName = ((stack.resource as Json | undefined)?.[type] ?? {}) as Record<string, Json>;
  return Object.entries(byName).sort(([a], [b]) => a.localeCompare(b));
}

function constructPath(resource: Json): string {
  const meta = (resource['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path ?? '';
}

/**
 * The architectures of a launch template referenced as `${aws_launch_template.<name>.id}`: from
 * its architecture tag, else from the SSM AMI parameter it reads, else unknown (both).
 */
function architecturesOf(stack: Json, reference: unknown): { architectures: Architecture[]; known: boolean } {
  const match = typeof reference === 'string' ? /aws_launch_template\.([A-Za-z0-9_-]+)\./.exec(reference) : null;
  const template = match ? (((stack.resource as Json)?.aws_launch_template as Record<string, Json> | undefined)?.[match[1]] ?? undefined) : undefined;
  if (template !== undefined) {
    const tagged = (template.tags as Record<string, string> | undefined)?.[ARCHITECTURE_TAG];
    if (tagged !== undefined && (ARCHITECTURES as readonly string[]).includes(tagged)) return { architectures: [tagged as Architecture], known: true };
    const image = typeof template.image_id === 'string' ? template.image_id : '';
    const parameter = /data\.aws_ssm_parameter\.([A-Za-z0-9_-]+)\./.exec(image);
    const name = parameter ? String(((stack.data as Json)?.aws_ssm_parameter as Record<string, Json> | undefined)?.[parameter[1]]?.name ?? '') : '';
    if (/arm64/.test(name)) return { architectures: ['arm64'], known: true };
    if (/x86_64/.test(name)) return { architectures: ['x86_64'], known: true };
  }
  return { architectures: ['x86_64', 'arm64'], known: false };
}

function preview(
  stack: Json,
  resource: string,
  body: Json,
  block: string,
  requirements: InstanceRequirementsJson,
  region: string,
  templateReference: unknown,
  purchaseOption: PurchaseOption,
): RequirementsPreview {
  const { architectures, known } = architecturesOf(stack, templateReference);
  const result = cachedMatch(requirements, region, architectures, purchaseOption);
  const warnings: string[] = [];
  if (result.types.length === 0) warnings.push(`no instance type matches in ${region}: the group cannot launch`);
  else if (result.types.length < MIN_RECOMMENDED_TYPES) {
    warnings.push(
      `only ${result.types.length} instance type(s) match in ${region}; AWS advises at least ${MIN_RECOMMENDED_TYPES} (widen the vCPU or memory range, or allow more generations or manufacturers)`,
    );
  }
  const notes = [...result.notes];
  if (!known) notes.push('the AMI architecture is not known at synth time: both x86_64 and arm64 were previewed');
  return {
    resource,
    path: constructPath(body),
    block,
    region,
    architectures,
    purchaseOption,
    count: result.types.length,
    types: result.types,
    families: groupByFamily(result.types),
    priceProtectionApplied: result.priceProtectionApplied,
    warnings,
    notes,
  };
}

// A matrix of stacks shares a few requirement sets: match each (set, region, architectures,
// purchase option) once per process (synth runs the ABS guardrails on every stack).
const matches = new Map<string, ReturnType<typeof matchInstanceTypes>>();

function cachedMatch(
  requirements: InstanceRequirementsJson,
  region: string,
  architectures: readonly Architecture[],
  purchaseOption: PurchaseOption,
): ReturnType<typeof matchInstanceTypes> {
  const key = JSON.stringify([requirements, region, architectures, purchaseOption]);
  let result = matches.get(key);
  if (result === undefined) {
    result = matchInstanceTypes(requirements, { region, architectures: [...architectures], purchaseOption });
    matches.set(key, result);
  }
  return result;
}

/** Whether a mixed instances policy or fleet may buy Spot at all. */
function asgPurchaseOption(policy: Json): PurchaseOption {
  const distribution = asList(policy.instances_distribution)[0] ?? {};
  const percent = distribution.on_demand_percentage_above_base_capacity;
  return percent === undefined || percent === 100 ? 'on-demand' : 'spot';
}

/**
 * Every `instance_requirements` block of a synthesized stack (Auto Scaling groups, EC2 Fleets,
 * launch templates) with the instance types it matches in the stack's region.
 */
export function previewStack(stack: Json): RequirementsPreview[] {
  const region = String((asList((stack.provider as Json | undefined)?.aws)[0] ?? {}).region ?? '');
  if (region === '' || region.includes('${')) throw new Error('the stack has no literal AWS provider region to preview against');
  const out: RequirementsPreview[] = [];
  for (const [name, asg] of resourcesOf(stack, 'aws_autoscaling_group')) {
    for (const policy of asList(asg.mixed_instances_policy)) {
      const template = asList(policy.launch_template)[0] ?? {};
      const defaultSpec = asList(template.launch_template_specification)[0] ?? {};
      asList(template.override).forEach((override, i) => {
        if (override.instance_requirements === undefined) return;
        const spec = asList(override.launch_template_specification)[0] ?? defaultSpec;
        out.push(
          preview(
            stack,
            `aws_autoscaling_group.${name}`,
            asg,
            `override[${i}]`,
            override.instance_requirements as InstanceRequirementsJson,
            region,
            spec.launch_template_id ?? spec.launch_template_name,
            asgPurchaseOption(policy),
          ),
        );
      });
    }
  }
  for (const [name, fleet] of resourcesOf(stack, 'aws_ec2_fleet')) {
    const target = asList(fleet.target_capacity_specification)[0] ?? {};
    const purchase: PurchaseOption = target.default_target_capacity_type === 'spot' ? 'spot' : 'on-demand';
    asList(fleet.launch_template_config).forEach((config, c) => {
      const spec = asList(config.launch_template_specification)[0] ?? {};
      const add = (at: string, requirements: unknown): void => {
        out.push(preview(stack, `aws_ec2_fleet.${name}`, fleet, at, requirements as InstanceRequirementsJson, region, spec.launch_template_id, purchase));
      };
      asList(config.override).forEach((override, i) => {
        if (override.instance_requirements !== undefined) add(`launch_template_config[${c}].override[${i}]`, override.instance_requirements);
      });
      // Overrides per subnet whose ids are known only at plan time: one dynamic block, the same
      // requirements for every subnet.
      const dynamic = asList((config.dynamic as Json | undefined)?.override)[0]?.content as Json | undefined;
      if (dynamic?.instance_requirements !== undefined) add(`launch_template_config[${c}].dynamic.override`, dynamic.instance_requirements);
    });
  }
  for (const [name, template] of resourcesOf(stack, 'aws_launch_template')) {
    if (template.instance_requirements === undefined) continue;
    out.push(
      preview(
        stack,
        `aws_launch_template.${name}`,
        template,
        'instance_requirements',
        template.instance_requirements as InstanceRequirementsJson,
        region,
        `\${aws_launch_template.${name}.id}`,
        'on-demand',
      ),
    );
  }
  return out;
}
