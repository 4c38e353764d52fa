import { TerraformStack, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { launchTemplateInstanceRequirementsToTerraform } from '@cdktf/provider-aws/lib/launch-template';
import { defaultCatalogue } from '../../lib/abs/catalogue';
import { matchInstanceTypes, type PurchaseOption } from '../../lib/abs/matcher';
import type { InstanceRequirementsJson } from '../../lib/abs/requirements-json';
import { MIN_RECOMMENDED_TYPES } from '../../lib/abs/stack-preview';
import { UserError } from '../../lib/errors';
import { errorFinding, warningFinding, type Finding } from './findings';
import type { RequirementSet } from './requirement-sets';

/**
 * The region a construct deploys to: its stack's AWS provider region, when that is a literal.
 * Undefined (no check) for stacks without a provider or with a region known only at plan time.
 */
function providerRegionOf(scope: Construct): string | undefined {
  const provider = TerraformStack.of(scope).node.children.find((c): c is AwsProvider => c instanceof AwsProvider);
  const region = provider?.region;
  return region === undefined || Token.isUnresolved(region) ? undefined : region;
}

// Every stack of a matrix shares a few requirement sets: match each (set, region, architecture) once.
const matchCounts = new Map<string, number | undefined>();

function countMatches(requirements: InstanceRequirementsJson, region: string, architecture: string, purchaseOption: PurchaseOption): number | undefined {
  const key = JSON.stringify([requirements, region, architecture, purchaseOption]);
  if (!matchCounts.has(key)) {
    try {
      const result = matchInstanceTypes(requirements, { region, architectures: [architecture as 'x86_64' | 'arm64'], purchaseOption });
      matchCounts.set(key, result.types.length);
    } catch (error) {
      // Requirements the offline matcher cannot read are reported by the construct's own checks.
      if (!(error instanceof UserError)) throw error;
      matchCounts.set(key, undefined);
    }
  }
  return matchCounts.get(key);
}

/**
 * Checks each requirement set against the offline instance-type catalogue for the stack's
 * region and the set's architecture: an error when nothing matches (the group could never
 * launch), a warning below AWS's advice of 10 types. Sets with unresolved tokens are skipped.
 */
export function catalogueFindings(scope: Construct, sets: readonly RequirementSet[], purchaseOption: PurchaseOption): Finding[] {
  const region = providerRegionOf(scope);
  if (region === undefined) return [];
  const findings: Finding[] = [];
  for (const set of sets) {
    const json = launchTemplateInstanceRequirementsToTerraform(set.requirements.render()) as InstanceRequirementsJson;
    if (Token.isUnresolved(json) || JSON.stringify(json).includes('${')) continue;
    const count = countMatches(json, region, set.template.architecture, purchaseOption);
    if (count === undefined) continue;
    const where = `${set.prefix} (${set.template.architecture}, ${purchaseOption})`;
    const source = `the offline catalogue of ${defaultCatalogue().dataDate}`;
    if (count === 0) {
      findings.push(errorFinding(`${where} match no instance type offered in ${region} according to ${source}: the group could never launch; widen the vCPU or memory range (see npx multiregion abs preview)`));
    } else if (count < MIN_RECOMMENDED_TYPES) {
      findings.push(warningFinding(`${where} match only ${count} instance type(s) in ${region} according to ${source}; AWS advises at least ${MIN_RECOMMENDED_TYPES} so capacity can come from many pools`));
    }
  }
  return findings;
}
