import { defaultCatalogue } from '../../../lib/abs/catalogue';
import { globBreadth, matchesInstanceTypeGlob } from '../../../lib/abs/instance-type-glob';

describe('instance type globs', () => {
  test.each([
    ['m5*', 'm5.large', true],
    ['m5*', 'm5d.large', true],
    ['m5*', 'm5zn.metal', true],
    ['m5*', 'm6i.large', false],
    ['m5.*', 'm5.large', true],
    ['m5.*', 'm5d.large', false],
    ['*3*', 'c3.large', true],
    ['*3*', 'm7i.32xlarge', true],
    ['*3*', 'm5.large', false],
    ['m5.large', 'm5.large', true],
    // '.' is literal, not "any character".
    ['m5.large', 'm5xlarge', false],
    // Anchored at both ends: a prefix alone matches nothing longer.
    ['m5', 'm5.large', false],
    ['large', 'm5.large', false],
    ['*.metal', 'a1.metal', true],
    ['*.metal', 'm7i.metal-24xl', false],
    ['*.metal*', 'm7i.metal-24xl', true],
    ['u7in-16tb.*', 'u7in-16tb.224xlarge', true],
    ['M5.*', 'm5.large', true],
  ])('GIVEN the glob %s WHEN matched against %s THEN the answer is %s', (glob, name, expected) => {
    expect(matchesInstanceTypeGlob(name, glob)).toBe(expected);
  });

  describe('breadth against the committed catalogue', () => {
    test('GIVEN m5.* WHEN counted THEN it is exactly the nine m5 sizes', () => {
      expect(globBreadth('m5.*')).toBe(9);
    });

    test('GIVEN m5* WHEN counted THEN it also reaches m5a, m5d, m5n, m5zn... (far more than m5.*)', () => {
      const names = defaultCatalogue()
        .types.map((t) => t.name)
        .filter((n) => n.startsWith('m5'));
      expect(globBreadth('m5*')).toBe(names.length);
      expect(globBreadth('m5*')).toBeGreaterThan(5 * globBreadth('m5.*'));
    });

    test('GIVEN *3* WHEN counted THEN it matches every type with a 3 anywhere in its name', () => {
      const withThree = defaultCatalogue().types.filter((t) => t.name.includes('3')).length;
      expect(globBreadth('*3*')).toBe(withThree);
      expect(withThree).toBeGreaterThan(100);
    });

    test('GIVEN a glob that matches nothing WHEN counted THEN it is 0', () => {
      expect(globBreadth('zz9*')).toBe(0);
    });
  });
});
