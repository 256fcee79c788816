/**
 * One record is one line that cannot move the cursor: every text that reaches a line (message,
 * field keys and values, bindings, caller, stack) has its control characters escaped. That covers
 * the line breaks a reader or terminal honours (LF, CR, VT, FF, NEL U+0085, U+2028, U+2029), every
 * other C0 and C1 control and DEL, so an ANSI escape sequence arrives as the text `\u001b[31m`.
 */
/** C0, DEL, C1, U+2028 and U+2029, as the body of a character class. */
export const CONTROL_RANGE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
const CONTROL = new RegExp(`[${CONTROL_RANGE}]`);
const CONTROLS = new RegExp(`[${CONTROL_RANGE}]`, 'g');
/** The same, keeping LF: for the stack, whose lines are split on LF and indented. */
const CONTROLS_BUT_LF = new RegExp(`(?!\\n)[${CONTROL_RANGE}]`, 'g');

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character written as an escape (`\n`, `\u001b`, `\u2028`). */
export function escapeControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeOne) : text;
}

/** For multi-line text rendered as indented lines: everything but LF escaped. */
export function escapeControlsButNewline(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS_BUT_LF, escapeOne) : text;
}

/**
 * A JSON line (whose strings JSON already escapes C0 in) with the characters JSON leaves raw (C1,
 * U+2028, U+2029, DEL) written as `\uXXXX`: the same value, read back, and nothing raw on screen.
 */
export function escapeJsonLine(line: string): string {
  return CONTROL.test(line) ? line.replace(CONTROLS, escapeOne) : line;
}
