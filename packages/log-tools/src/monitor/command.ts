export function runMonitor(_argv: string[], _out: (s: string) => void): number {
  return 0;
}
