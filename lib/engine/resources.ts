// Which event family a Task state emits, from its Resource ARN:
//   arn:aws:lambda:<region>:<account>:function:<name>   -> LambdaFunction* (legacy form)
//   arn:aws:states:<region>:<account>:activity:<name>   -> Activity* (and any other resource)
//   arn:aws:states:::<type>:<action>[.sync[:2]|.waitForTaskToken] -> Task*, with `resourceType`
//     = <type> (e.g. "lambda", "aws-sdk:s3") and `resource` = <action> plus its pattern suffix.

export type IntegrationPattern = "requestResponse" | "sync" | "waitForTaskToken";

export type TaskResource =
  | { kind: "lambda"; arn: string }
  | { kind: "activity"; arn: string }
  | { kind: "service"; arn: string; resourceType: string; resource: string; pattern: IntegrationPattern };

const PATTERN_SUFFIX = /\.(sync(?::\d+)?|waitForTaskToken)$/;

export function classifyResource(arn: string): TaskResource {
  const parts = arn.split(":");
  const service = parts[2];
  if (service === "lambda" && parts[5] === "function") return { kind: "lambda", arn };
  if (service === "states" && parts[5] === "activity") return { kind: "activity", arn };
  if (service === "states" && parts[3] === "" && parts[4] === "") {
    const rest = parts.slice(5).join(":");
    const suffixMatch = PATTERN_SUFFIX.exec(rest);
    const suffix = suffixMatch ? suffixMatch[0] : "";
    const base = suffix ? rest.slice(0, -suffix.length) : rest;
    const cut = base.lastIndexOf(":");
    const resourceType = cut < 0 ? base : base.slice(0, cut);
    const action = cut < 0 ? "" : base.slice(cut + 1);
    const pattern: IntegrationPattern = !suffixMatch ? "requestResponse" : suffix === ".waitForTaskToken" ? "waitForTaskToken" : "sync";
    return { kind: "service", arn, resourceType, resource: action + suffix, pattern };
  }
  // AWS accepts exactly three Task resource families: Lambda function ARNs, service integrations
  // (`arn:<partition>:states:::...`) and activity ARNs. Anything that is neither of the first two
  // is therefore treated as an activity: that is what a valid definition's remaining resources are,
  // and histories whose activity ARN was replaced by a placeholder (e.g. `activity_arn`) replay as
  // the activities they were.
  return { kind: "activity", arn };
}

/** True for tasks that wait for an external answer identified by a task token. */
export function usesTaskToken(target: TaskResource): boolean {
  return target.kind === "activity" || (target.kind === "service" && target.pattern === "waitForTaskToken");
}
