// The CloudWatch Logs client of the Express source: credentials and region from the SDK's default
// chain, adaptive retry like the Step Functions client.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { type AwsConnection, resolveEndpoint } from "../aws/client";

export function createLogsClient(connection: AwsConnection = {}): CloudWatchLogsClient {
  const endpoint = resolveEndpoint(connection.endpoint, "CLOUDWATCH_LOGS");
  return new CloudWatchLogsClient({
    ...(connection.region ? { region: connection.region } : {}),
    ...(endpoint ? { endpoint } : {}),
    retryMode: "adaptive",
    maxAttempts: connection.maxAttempts ?? 4,
  });
}
