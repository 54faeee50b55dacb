/**
 * An error that reports every problem a check found at once, one line each under a heading, so the caller fixes them
 * all in one go: what the constructors, routes and grants of the shop's constructs throw. Each problem names the prop,
 * the value given and the fix.
 */
export abstract class ProblemsError extends Error {
  protected constructor(
    heading: string,
    public readonly problems: readonly string[],
  ) {
    super(`${heading}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = new.target.name;
  }
}

/**
 * Thrown by a pattern's constructor with every invalid prop at once, under `Invalid <construct> props at <path>:`. One
 * class for every pattern, as aws-cdk-lib's own ValidationError is: `constructName` says which pattern.
 */
export class PropsError extends ProblemsError {
  public constructor(
    /** The pattern's class, e.g. 'QueueWorker'. */
    public readonly constructName: string,
    public readonly constructPath: string,
    problems: readonly string[],
  ) {
    super(`Invalid ${constructName} props at ${constructPath}`, problems);
  }
}
