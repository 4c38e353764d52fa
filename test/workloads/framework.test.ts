import { UserError } from '../../lib/errors';
import { defineWorkload } from '../../workloads/framework';

describe('defineWorkload', () => {
  const regional = class {} as never;
  const global = class {} as never;

  test('GIVEN global outputs and a global part THEN the definition is accepted as written', () => {
    const definition = { name: 'orders-queue', settingsSchema: {}, regional, global, globalOutputs: ['topic_arn'] } as never;
    expect(defineWorkload(definition)).toBe(definition);
  });

  test('GIVEN global outputs without a global part THEN it is a user error that says what to do, not a failure at plan time', () => {
    const definition = { name: 'orders-queue', settingsSchema: {}, regional, globalOutputs: ['topic_arn'] } as never;
    expect(() => defineWorkload(definition)).toThrow(UserError);
    expect(() => defineWorkload(definition)).toThrow(
      'workload orders-queue declares global outputs (topic_arn) but has no global part to set them: add a global part or drop globalOutputs',
    );
  });
});
