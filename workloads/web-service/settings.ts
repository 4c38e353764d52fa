/** The settings of web-service (workloads/web-service/settings.schema.json), defaults filled in. */
export interface WebServiceSettings {
  /** HTTPS with an ACM certificate; absent only with `plainHttp: true`. */
  readonly https?: {
    /** Existing certificates by region. */
    readonly certificateArns?: Readonly<Record<string, string>>;
    /** The service's DNS name: latency-routed alias per region, and the DNS-validated certificate without certificateArns. */
    readonly domainName?: string;
    readonly hostedZoneId?: string;
    readonly sslPolicy: string;
  };
  /** Plain HTTP only: an explicit choice. */
  readonly plainHttp?: true;
  readonly accessLogs: { readonly enabled: boolean; readonly retentionDays: number };
  /** @default - the environment's production mark */
  readonly deletionProtection?: boolean;
}
