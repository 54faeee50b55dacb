import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagFindingsOptions {
  /** Leave out the findings on these constructs and their children (a test's own alarm topic, say). */
  readonly except?: readonly IConstruct[];
  /** Only the findings on these constructs and their children. @default - the whole scope */
  readonly within?: readonly IConstruct[];
  /** Only the findings of this severity. @default - every severity */
  readonly severity?: 'error' | 'warning';
}

const isUnder = (constructPath: string | undefined, constructs: readonly IConstruct[]) =>
  constructs.some((construct) => constructPath === construct.node.path || constructPath?.startsWith(`${construct.node.path}/`));

/** The cdk-nag AwsSolutions findings in `scope` that nothing acknowledged, as `<rule> (<severity>) at <construct path>`. */
export function nagFindings(scope: IConstruct, options: NagFindingsOptions = {}): string[] {
  const { except = [], within, severity } = options;
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.filter((violation) => severity === undefined || violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources
        .filter((resource) => !isUnder(resource.constructPath, except) && (within === undefined || isUnder(resource.constructPath, within)))
        .map((resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`),
    );
}

/** An error that lists every problem it found (the patterns' props, route and grant errors). */
type ProblemsError = abstract new (...args: never[]) => Error & { readonly problems: readonly string[] };

/**
 * `problemsOf(act)`: the problems `act` throws in an error of one of `errorTypes`. Any other error is rethrown, and an
 * `act` that throws nothing fails the test.
 */
export function problemsThrown(...errorTypes: readonly ProblemsError[]): (act: () => unknown) => readonly string[] {
  return (act) => {
    try {
      act();
    } catch (error) {
      if (errorTypes.some((type) => error instanceof type)) return (error as InstanceType<ProblemsError>).problems;
      throw error;
    }
    throw new Error(`expected ${errorTypes.map((type) => `a ${type.name}`).join(' or ')}`);
  };
}
