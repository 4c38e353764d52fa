import { defaultCatalogue, type InstanceCatalogue } from './catalogue';

/**
 * An `allowed_instance_types` / `excluded_instance_types` entry as a RegExp. AWS anchors the
 * pattern at both ends and knows one wildcard, `*` (any run of characters, including none):
 * `m5*` matches m5.large and m5d.large, `m5.*` only the m5 family, `*3*` anything with a 3 in it.
 * Every other character, `.` included, is literal. Matching ignores case.
 */
export function instanceTypeGlobToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether an instance type name matches one glob. */
export function matchesInstanceTypeGlob(instanceType: string, glob: string): boolean {
  return instanceTypeGlobToRegExp(glob).test(instanceType);
}

/**
 * How many catalogue types a glob matches, in any region. Lets callers warn when a short pattern
 * reaches much further than it looks: `*3*` matches m7i.32xlarge and c3.large alike.
 */
export function globBreadth(glob: string, catalogue: InstanceCatalogue = defaultCatalogue()): number {
  const pattern = instanceTypeGlobToRegExp(glob);
  return catalogue.types.filter((t) => pattern.test(t.name)).length;
}
