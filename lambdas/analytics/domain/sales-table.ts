/** What one event adds to its minute's bucket. */
export interface SalesCounts {
  /** Orders placed. */
  readonly orders: number;
  /** Revenue of the orders placed, integer cents. */
  readonly revenueCents: number;
  /** Orders cancelled. */
  readonly cancelled: number;
}

/** One minute's bucket. */
export interface SalesMinute extends SalesCounts {
  /** `YYYY-MM-DDTHH:MM`, UTC. */
  readonly minute: string;
}

/** The analytics table: per-minute buckets, and a marker per counted event. */
export interface SalesTable {
  /**
   * Add `counts` to the bucket of `minute` and mark `eventId` counted, atomically; 'duplicate' when `eventId` was
   * counted before (nothing was added).
   */
  add(eventId: string, minute: string, counts: SalesCounts): Promise<'added' | 'duplicate'>;
  /** The buckets from `fromMinute` to `toMinute`, both included, in time order; minutes without sales have none. */
  minutes(fromMinute: string, toMinute: string): Promise<SalesMinute[]>;
}
