/**
 * The V8 setting under which logging stays within its event-loop target (bench/run.ts measures
 * both). Every log line is short-lived garbage, and at Node's default young generation (semi-spaces
 * growing to 16 MB) each scavenge pauses the thread 0.6–1 ms on a 2-core machine, the same for any
 * code allocating at that rate, logger or not. Semi-spaces capped at 2 MB make scavenges more
 * frequent and about a third as long, at the same throughput and a lower RSS. The orchestrator
 * starts every app of the fleet with it.
 */
export const SHORT_GC_PAUSE_FLAGS: readonly string[] = Object.freeze(['--max-semi-space-size=2']);
