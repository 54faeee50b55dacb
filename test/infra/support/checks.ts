import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ProblemsError, PropsError } from '../../../lib/patterns/problems-error';

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

/** A class of error that lists every problem it found (the patterns' props, route and grant errors). */
type ProblemsErrorClass = abstract new (...args: never[]) => ProblemsError;

/** What the functions below return: `act`'s problems, if it throws an error `accepts`; any other error is rethrown. */
function problemsThrownIf(accepts: (error: ProblemsError) => boolean, expected: string): (act: () => unknown) => readonly string[] {
  return (act) => {
    try {
      act();
    } catch (error) {
      if (error instanceof ProblemsError && accepts(error)) return error.problems;
      throw error;
    }
    throw new Error(`expected ${expected}`);
  };
}

const isOneOf = (error: ProblemsError, errorTypes: readonly ProblemsErrorClass[]) => errorTypes.some((type) => error instanceof type);
const namesOf = (errorTypes: readonly ProblemsErrorClass[]) => errorTypes.map((type) => `a ${type.name}`);

/**
 * `problemsOf(act)`: the problems `act` throws in an error of one of `errorTypes`. Any other error is rethrown, and an
 * `act` that throws nothing fails the test.
 */
export function problemsThrown(...errorTypes: readonly ProblemsErrorClass[]): (act: () => unknown) => readonly string[] {
  return problemsThrownIf((error) => isOneOf(error, errorTypes), namesOf(errorTypes).join(' or '));
}

/**
 * `problemsOf(act)`: the problems `act` throws in the PropsError of the pattern `constructName`, or in an error of one
 * of `otherErrorTypes` (a route's, a consumer's). A PropsError of another pattern, or any other error, is rethrown, and
 * an `act` that throws nothing fails the test.
 */
export function propsProblemsThrown(constructName: string, ...otherErrorTypes: readonly ProblemsErrorClass[]): (act: () => unknown) => readonly string[] {
  return problemsThrownIf(
    (error) => (error instanceof PropsError && error.constructName === constructName) || isOneOf(error, otherErrorTypes),
    [`a PropsError of ${constructName}`, ...namesOf(otherErrorTypes)].join(' or '),
  );
}
