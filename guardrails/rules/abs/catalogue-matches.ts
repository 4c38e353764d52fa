import { defaultCatalogue } from '../../../lib/abs/catalogue';
import { MIN_RECOMMENDED_TYPES, previewStack, type RequirementsPreview } from '../../../lib/abs/stack-preview';
import { UserError } from '../../../lib/errors';
import type { JsonRule } from '../../rule';
import type { TerraformJson } from '../../terraform-json';

/**
 * The ABS requirement blocks of a stack matched against the offline catalogue in the stack's
 * region, from the rendered JSON (the provider's region and the templates' architecture tags):
 * nothing depends on the order in which constructs were built.
 */
function previews(json: TerraformJson): RequirementsPreview[] {
  const region = json.provider?.aws?.[0]?.region;
  if (typeof region !== 'string' || region.includes('${')) return [];
  try {
    return previewStack(json as Record<string, unknown>).filter((p) => !JSON.stringify(p).includes('${'));
  } catch (error) {
    // Requirements the offline matcher cannot read are reported by the constructs' own checks.
    if (error instanceof UserError) return [];
    throw error;
  }
}

const source = (): string => `the offline catalogue of ${defaultCatalogue().dataDate}`;

export const ABS_MATCHES_SOME_TYPE: JsonRule = {
  id: 'MR-ABS-8',
  pack: 'abs',
  severity: 'error',
  problem: 'ABS requirements that match no instance type offered in the region: the group or fleet could never launch',
  fix: 'widen the vCPU or memory range, or allow more generations or manufacturers (see npx multiregion abs preview --stack <id>); if the catalogue is stale, refresh it (data/README.md)',
  checkov: [],
  check: (json) =>
    previews(json)
      .filter((p) => p.count === 0)
      .map((p) => ({
        address: p.resource,
        message: `${p.block} (${p.architectures.join('+')}, ${p.purchaseOption}) matches no instance type offered in ${p.region} according to ${source()}`,
      })),
};

export const ABS_MATCHES_ENOUGH_TYPES: JsonRule = {
  id: 'MR-ABS-9',
  pack: 'abs',
  severity: 'warning',
  problem: `ABS requirements that match fewer than ${MIN_RECOMMENDED_TYPES} instance types leave spot capacity to few pools`,
  fix: 'widen the vCPU or memory range, or allow more generations or manufacturers (see npx multiregion abs preview --stack <id>)',
  checkov: [],
  check: (json) =>
    previews(json)
      .filter((p) => p.count > 0 && p.count < MIN_RECOMMENDED_TYPES && p.purchaseOption === 'spot')
      .map((p) => ({
        address: p.resource,
        message: `${p.block} (${p.architectures.join('+')}, spot) matches only ${p.count} instance type(s) in ${p.region} according to ${source()}; AWS advises at least ${MIN_RECOMMENDED_TYPES}`,
      })),
};
