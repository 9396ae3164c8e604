// Fault injection for testing clients against the local endpoint: throttling, 500s, slow
// responses, a connection dropped mid-response, an expired nextToken. Off unless configured by
// option or STATELENS_AWS_FAULTS, e.g. "throttle=0.2,error=0.1,slow=0.1,slowMs=300,drop=0.05,expireToken=0.1,seed=7".
// Draws come from a seeded generator, so a failing run can be replayed.

export interface FaultConfig {
  /** probability of 400 ThrottlingException */
  throttle?: number;
  /** probability of 500 ServiceUnavailable / InternalFailure */
  error?: number;
  /** probability of a slow response, delayed by slowMs */
  slow?: number;
  slowMs?: number;
  /** probability that the connection is cut after half the response body was written */
  drop?: number;
  /** probability that a request carrying a nextToken gets 400 InvalidToken (expired) */
  expireToken?: number;
  seed?: number;
  /** operations faults apply to (e.g. "GetExecutionHistory"); default: every read operation */
  operations?: string[];
}

export type Fault = { kind: "throttle" } | { kind: "error" } | { kind: "drop" } | { kind: "expireToken" } | { kind: "slow"; ms: number };

const READ_OPERATION = /^(List|Describe|Get|Filter)/;

/** mulberry32: small, fast, good enough for test draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function parseFaultSpec(spec: string): FaultConfig {
  const config: FaultConfig = {};
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [key, value] = part.split("=");
    if (key === "operations") config.operations = value.split("+");
    else if (key === "throttle" || key === "error" || key === "slow" || key === "slowMs" || key === "drop" || key === "expireToken" || key === "seed") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`fault spec: ${key} must be a number, got ${JSON.stringify(value)}`);
      config[key] = n;
    } else throw new Error(`fault spec: unknown fault '${key}' (known: throttle, error, slow, slowMs, drop, expireToken, seed, operations)`);
  }
  return config;
}

export class FaultInjector {
  private random: () => number;
  /** how many faults of each kind were injected */
  readonly injected: Record<Fault["kind"], number> = { throttle: 0, error: 0, drop: 0, expireToken: 0, slow: 0 };

  constructor(private config: FaultConfig = {}) {
    this.random = seeded(config.seed ?? 1);
  }

  configure(config: FaultConfig): void {
    this.config = config;
    this.random = seeded(config.seed ?? 1);
  }

  get enabled(): boolean {
    const c = this.config;
    return Boolean(c.throttle || c.error || c.slow || c.drop || c.expireToken);
  }

  /** The fault to inject into this request, if any. */
  draw(operation: string, hasNextToken: boolean): Fault | null {
    const c = this.config;
    if (!this.enabled) return null;
    if (c.operations ? !c.operations.includes(operation) : !READ_OPERATION.test(operation)) return null;
    const pick = (kind: Exclude<Fault["kind"], "slow">, p: number | undefined): Fault | null => {
      if (p && this.random() < p) {
        this.injected[kind]++;
        return { kind } as Fault;
      }
      return null;
    };
    const fault = pick("throttle", c.throttle) ?? pick("error", c.error) ?? (hasNextToken ? pick("expireToken", c.expireToken) : null) ?? pick("drop", c.drop);
    if (fault) return fault;
    if (c.slow && this.random() < c.slow) {
      this.injected.slow++;
      return { kind: "slow", ms: c.slowMs ?? 250 };
    }
    return null;
  }
}
