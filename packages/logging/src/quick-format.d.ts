/** pino's own printf-style formatter (it has no types of its own). */
declare module 'quick-format-unescaped' {
  export default function format(
    f: string,
    args: unknown[],
    opts?: { stringify?: (o: unknown) => string },
  ): string;
}
