// AWS Step Functions prices, with where they come from and when they were read. Costs computed
// anywhere in statelens use this table so a price change is one edit.
export const PRICE_SOURCE = {
  url: "https://aws.amazon.com/step-functions/pricing/",
  read: "2026-11-24",
  note: "us-east-1 list prices; Standard is billed per state transition (retries included), Express per request plus GB-seconds (duration rounded up to 100 ms, memory in 64 MB chunks).",
} as const;

/** USD per 1,000 Standard state transitions, by region (pricing page, read on PRICE_SOURCE.read). */
export const STANDARD_PRICE_PER_1K: Readonly<Record<string, number>> = {
  "us-east-1": 0.025, "us-east-2": 0.025, "us-west-2": 0.025, "ca-central-1": 0.025, "eu-west-1": 0.025, "eu-central-1": 0.025,
  "eu-west-2": 0.025, "eu-north-1": 0.025, "ap-southeast-1": 0.025, "ap-northeast-1": 0.025, "ap-southeast-2": 0.025,
  "us-west-1": 0.0279, "sa-east-1": 0.0375, "eu-west-3": 0.0297, "ap-northeast-2": 0.0271, "ap-south-1": 0.0285,
  "us-gov-east-1": 0.03, "us-gov-west-1": 0.03,
};
export const DEFAULT_REGION = "us-east-1";
/** Free Standard transitions per month (never expires). */
export const STANDARD_FREE_TRANSITIONS_PER_MONTH = 4_000;
/** Express: USD per request (us-east-1). */
export const EXPRESS_PRICE_PER_REQUEST = 1 / 1_000_000;
/** Express duration tiers per month, USD per GB-second (us-east-1): first 3.6M GB-s, next 14.4M, beyond. */
export const EXPRESS_GB_SECOND_TIERS: ReadonlyArray<{ upTo: number; price: number }> = [
  { upTo: 3_600_000, price: 0.00001667 },
  { upTo: 18_000_000, price: 0.00000833 },
  { upTo: Infinity, price: 0.00000456 },
];
/** Express memory is billed in 64 MB chunks; 50 MB is the documented base of the estimate. */
export const EXPRESS_MEMORY_CHUNK_MB = 64;
export const EXPRESS_BASE_MEMORY_MB = 50;
export const EXPRESS_DURATION_ROUNDING_MS = 100;

export function standardPricePerTransition(region: string | null | undefined = DEFAULT_REGION): number {
  return (STANDARD_PRICE_PER_1K[region ?? DEFAULT_REGION] ?? STANDARD_PRICE_PER_1K[DEFAULT_REGION]) / 1000;
}

/** Dollars for Standard transitions, before the monthly free tier (a per-execution view). */
export function standardCost(transitions: number, region?: string | null): number {
  return transitions * standardPricePerTransition(region);
}

/** Dollars for a month of Standard transitions, after the free tier. */
export function standardMonthlyCost(transitions: number, region?: string | null): number {
  return Math.max(0, transitions - STANDARD_FREE_TRANSITIONS_PER_MONTH) * standardPricePerTransition(region);
}

export function billedDurationMs(durationMs: number): number {
  return Math.max(EXPRESS_DURATION_ROUNDING_MS, Math.ceil(durationMs / EXPRESS_DURATION_ROUNDING_MS) * EXPRESS_DURATION_ROUNDING_MS);
}

/** Billed memory: 50 MB + definition + payload x (Map/Parallel steps), rounded up to 64 MB chunks. */
export function billedMemoryMb(definitionBytes = 0, payloadBytes = 0, parallelOrMapSteps = 0): number {
  const mb = EXPRESS_BASE_MEMORY_MB + (definitionBytes + payloadBytes * Math.max(1, parallelOrMapSteps)) / 1_000_000;
  return Math.ceil(mb / EXPRESS_MEMORY_CHUNK_MB) * EXPRESS_MEMORY_CHUNK_MB;
}

export function expressGbSeconds(durationMs: number, memoryMb = EXPRESS_MEMORY_CHUNK_MB): number {
  return (billedDurationMs(durationMs) / 1000) * (memoryMb / 1024);
}

/** Dollars for a month's GB-seconds across the tiers. */
export function expressDurationCost(gbSeconds: number): number {
  let left = gbSeconds;
  let floor = 0;
  let cost = 0;
  for (const tier of EXPRESS_GB_SECOND_TIERS) {
    const inTier = Math.min(left, tier.upTo - floor);
    if (inTier <= 0) break;
    cost += inTier * tier.price;
    left -= inTier;
    floor = tier.upTo;
  }
  return cost;
}

export function expressCost(requests: number, gbSeconds: number): number {
  return requests * EXPRESS_PRICE_PER_REQUEST + expressDurationCost(gbSeconds);
}
