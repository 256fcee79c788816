/**
 * The fleet's errors, one shape: a `DRIFT_ERR_*` code a user can search for (the table in
 * packages/runtime/README.md says what each means and what to do), a name, a message. Here, at the
 * bottom of the dependency graph, so that every package (logging and log-tools too) can use it.
 */

export type DriftErrorCode = `DRIFT_ERR_${string}`;

/** Base of every error the fleet throws on purpose; a subclass declares `readonly code = 'DRIFT_ERR_…'`. */
export abstract class DriftError extends Error {
  abstract readonly code: DriftErrorCode;
}

/** The message of whatever was thrown: an Error's `message`, else its string form. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
