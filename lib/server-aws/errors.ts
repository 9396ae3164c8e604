// Errors of the local endpoint in AWS's JSON protocol shape: HTTP 400 (500 for faults) with
// `{"__type": "<ErrorName>", "message": "..."}`, which the AWS SDK turns into an exception of that name.

export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidArn = (arn: unknown) => new AwsApiError("InvalidArn", `Invalid Arn: '${String(arn)}'`);
export const validation = (message: string) => new AwsApiError("ValidationException", message);
