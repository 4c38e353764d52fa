import { batches } from '../../../lib/offline-plan/run';

describe('batches of stacks', () => {
  test('GIVEN stacks of different sizes and two jobs THEN the batches are about equal in size and hold every stack once', () => {
    const sizes: Record<string, number> = { a: 40, b: 10, c: 30, d: 20, e: 5 };
    const split = batches(Object.keys(sizes), 2, (s) => sizes[s]);
    expect(split).toHaveLength(2);
    expect(split.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const loads = split.map((b) => b.reduce((n, s) => n + sizes[s], 0));
    expect(Math.abs(loads[0] - loads[1])).toBeLessThanOrEqual(5);
  });

  test('GIVEN fewer stacks than jobs THEN there is one batch a stack and none empty', () => {
    expect(batches(['a'], 4, () => 1)).toEqual([['a']]);
    expect(batches([], 4, () => 1)).toEqual([]);
  });
});
