import { closestMatch } from './errors';
/**
 * AWS regions the framework knows, with their partition. A region not in this list is rejected
 * by the config check: a typo such as `us-east1` must never reach a provider block.
 * Source: AWS "Regions and Availability Zones" documentation (2026).
 */
export const AWS_REGIONS: Readonly<Record<string, Partition>> = {
  'us-east-1': 'aws',
  'us-east-2': 'aws',
  'us-west-1': 'aws',
  'us-west-2': 'aws',
  'af-south-1': 'aws',
  'ap-east-1': 'aws',
  'ap-east-2': 'aws',
  'ap-south-1': 'aws',
  'ap-south-2': 'aws',
  'ap-southeast-1': 'aws',
  'ap-southeast-2': 'aws',
  'ap-southeast-3': 'aws',
  'ap-southeast-4': 'aws',
  'ap-southeast-5': 'aws',
  'ap-southeast-6': 'aws',
  'ap-southeast-7': 'aws',
  'ap-northeast-1': 'aws',
  'ap-northeast-2': 'aws',
  'ap-northeast-3': 'aws',
  'ca-central-1': 'aws',
  'ca-west-1': 'aws',
  'eu-central-1': 'aws',
  'eu-central-2': 'aws',
  'eu-west-1': 'aws',
  'eu-west-2': 'aws',
  'eu-west-3': 'aws',
  'eu-south-1': 'aws',
  'eu-south-2': 'aws',
  'eu-north-1': 'aws',
  'il-central-1': 'aws',
  'me-south-1': 'aws',
  'me-central-1': 'aws',
  'mx-central-1': 'aws',
  'sa-east-1': 'aws',
  'us-gov-east-1': 'aws-us-gov',
  'us-gov-west-1': 'aws-us-gov',
  'cn-north-1': 'aws-cn',
  'cn-northwest-1': 'aws-cn',
};

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(AWS_REGIONS, region);
}

/** What is wrong with a region that is not a real one, with the region a typo most likely meant. */
export function unknownRegionProblem(region: string): string {
  const meant = closestMatch(region, Object.keys(AWS_REGIONS));
  return `unknown AWS region '${region}' (${meant !== undefined ? `did you mean ${meant}? ` : ''}expected a real region such as us-east-1)`;
}

export function partitionOf(region: string): Partition {
  const partition = AWS_REGIONS[region];
  if (partition === undefined) throw new Error(`unknown AWS region '${region}'`);
  return partition;
}

const DIRECTION_WORDS = ['north', 'south', 'east', 'west', 'central', 'gov'];

/**
 * The short code used in regional-layout bucket names: the first part, the initials of the
 * direction words, then the number. us-east-1 → use1, ap-southeast-1 → apse1,
 * us-gov-west-1 → usgw1.
 */
export function regionShortCode(region: string): string {
  const parts = region.split('-');
  const area = parts[0];
  const number = parts[parts.length - 1];
  if (parts.length < 3 || !/^[a-z]{2}$/.test(area) || !/^[0-9]+$/.test(number)) {
    throw new Error(`cannot derive a short code from region '${region}'`);
  }
  let initials = '';
  for (const word of parts.slice(1, -1)) {
    let rest = word;
    while (rest.length > 0) {
      const direction = DIRECTION_WORDS.find((d) => rest.startsWith(d));
      if (direction === undefined) throw new Error(`cannot derive a short code from region '${region}'`);
      initials += direction[0];
      rest = rest.slice(direction.length);
    }
  }
  return `${area}${initials}${number}`;
}
