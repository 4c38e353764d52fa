import { UserError } from '../errors';

/** One event of `aws health describe-events` output, the fields the check reads. */
export interface HealthEvent {
  readonly arn: string;
  readonly service: string;
  readonly eventTypeCode: string;
  readonly eventTypeCategory: string;
  readonly region: string;
  readonly statusCode: string;
  readonly startTime?: string | number;
}

export interface HealthVerdict {
  readonly healthy: boolean;
  readonly blocking: readonly HealthEvent[];
  readonly message: string;
}

export interface HealthTarget {
  /** The region the stack deploys to (a global stack: the global region). */
  readonly region: string;
  /** Services to watch, as AWS Health names them (EC2, ELASTICLOADBALANCING...); empty means all. */
  readonly services?: readonly string[];
}

/**
 * Decides whether a deployment may proceed: it may not while an open `issue` event affects the
 * target region or is global. Scheduled changes and account notifications do not block (the
 * criteria of the health-aware pipelines article). Malformed input fails closed.
 */
export function evaluateHealth(describeEventsOutput: unknown, target: HealthTarget): HealthVerdict {
  const events = (describeEventsOutput as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new UserError('health check: expected the JSON of aws health describe-events ({"events": [...]})');
  const parsed: HealthEvent[] = events.map((e: Record<string, unknown>, i) => {
    for (const field of ['arn', 'service', 'eventTypeCode', 'eventTypeCategory', 'region', 'statusCode']) {
      if (typeof e[field] !== 'string') throw new UserError(`health check: event ${i} has no ${field}`);
    }
    return e as unknown as HealthEvent;
  });
  const services = target.services ?? [];
  const blocking = parsed.filter(
    (e) =>
      e.eventTypeCategory === 'issue' &&
      e.statusCode === 'open' &&
      (e.region === target.region || e.region === 'global') &&
      (services.length === 0 || services.includes(e.service)),
  );
  if (blocking.length === 0) {
    return { healthy: true, blocking, message: `AWS Health: no open issue in ${target.region}` };
  }
  const list = blocking.map((e) => `${e.service} ${e.eventTypeCode} (${e.region})`).join(', ');
  return {
    healthy: false,
    blocking,
    message: `AWS Health reports ${blocking.length} open issue(s) affecting ${target.region}: ${list}; retry this stage once AWS has resolved them`,
  };
}
