/** pino's levels, and the names the file and console lines print for them. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export const LEVEL_VALUES: Record<Exclude<LogLevel, 'silent'>, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

const LABELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

export function levelLabel(value: number): string {
  return LABELS[value] ?? `L${value}`;
}

export function levelFromLabel(label: string): number | undefined {
  const name = label.toLowerCase() as keyof typeof LEVEL_VALUES;
  return (
    LEVEL_VALUES[name] ??
    (label.toUpperCase() === 'WARNING' ? 40 : label.toUpperCase() === 'CRITICAL' ? 60 : undefined)
  );
}
