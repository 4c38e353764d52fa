import minimatch from 'minimatch';

/**
 * Whether a stack id matches a pattern the way `cdktf deploy <patterns...>` selects stacks:
 * minimatch, the library and version cdktf-cli 0.21 uses, on the stack name. A glob is plain text
 * matching: `research-dev-*` also matches a team named `research-dev` in environment `x`.
 */
export function matchesStackGlob(stack: string, pattern: string): boolean {
  return minimatch(stack, pattern);
}
