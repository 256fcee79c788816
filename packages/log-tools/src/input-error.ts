/**
 * Bad input from the user (a flag value, an unknown app, a missing or unreadable file).
 * The CLI prints its message and exits with EXIT_BAD_INPUT; nothing has been changed.
 */
import { DriftError } from '@drift/logging';

export class InputError extends DriftError {
  override readonly code = 'DRIFT_ERR_LOG_TOOLS_INPUT';
  override readonly name = 'InputError';
}

/** Exit code shared by every command for bad input or a refused operation. */
export const EXIT_BAD_INPUT = 3;
