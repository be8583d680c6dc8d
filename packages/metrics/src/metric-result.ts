/** How a number was measured: enough to say whether two numbers are comparable. */
export interface MetricProtocol {
  /** Generated (or evaluated) images. */
  readonly samples: number;
  /** The feature extractor's or classifier's id. */
  readonly extractor: string;
  /** What the images were compared with, e.g. 'mnist/train', and how many. */
  readonly reference: string;
  readonly referenceSamples: number;
  /** Settings of the metric itself: KID subsets, IS splits, the k of precision/recall, … */
  readonly settings?: Readonly<Record<string, number | string>>;
}

/** A metric's value, named by protocol (e.g. `fid10k-mnist-cnn`), with the protocol and any warnings. */
export interface MetricResult {
  readonly name: string;
  readonly value: number;
  /** Spread over subsets or splits (KID, IS). */
  readonly std?: number;
  readonly protocol: MetricProtocol;
  readonly warnings: readonly string[];
}

/** `fid` + 10,000 samples + 'mnist-cnn' → 'fid10k-mnist-cnn' (counts not in thousands stay whole: 'fid2500-…'). */
export function protocolName(metric: string, samples: number, extractor: string): string {
  const count = samples % 1000 === 0 ? `${samples / 1000}k` : String(samples);
  return `${metric}${count}-${extractor}`;
}
