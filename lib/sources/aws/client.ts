// The Step Functions client the AWS source uses. Credentials and region come from the SDK's
// default chain (environment, shared config/SSO, instance roles); statelens never stores or logs
// them. Throttling is left first to the SDK's adaptive retry mode (a client-side token bucket
// that slows down when AWS throttles) and then to withBackoff.
import { SFNClient } from "@aws-sdk/client-sfn";

export interface AwsConnection {
  region?: string;
  /** A custom endpoint (the local endpoint, LocalStack); default AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** SDK attempts per call before withBackoff takes over; default 4. */
  maxAttempts?: number;
}

/** The endpoint URL for a service: the explicit one, else the SDK's environment variables. */
export function resolveEndpoint(explicit: string | undefined, serviceEnvSuffix: "SFN" | "CLOUDWATCH_LOGS"): string | undefined {
  return explicit ?? process.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? process.env.AWS_ENDPOINT_URL ?? undefined;
}

export function createSfnClient(connection: AwsConnection = {}): SFNClient {
  const endpoint = resolveEndpoint(connection.endpoint, "SFN");
  return new SFNClient({
    ...(connection.region ? { region: connection.region } : {}),
    ...(endpoint ? { endpoint, disableHostPrefix: true } : {}),
    retryMode: "adaptive",
    maxAttempts: connection.maxAttempts ?? 4,
  });
}
