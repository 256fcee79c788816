/**
 * Which apps are critical (file + console) and which are utility code (console only).
 * One list for the fleet; a new app joins it by declaring `"drift": { "logging": "critical" }`
 * in its package.json.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CRITICAL_APPS: readonly string[] = [
  'jit-mm-swift',
  'hedge-bot',
  'trend-bot',
  'drift-client',
  'rpc-manager',
  'order-management',
  'risk-manager',
  'swift-client',
  'orchestrator',
];

/** True when the package.json at `file` declares its app critical. Missing or unreadable -> false. */
export function declaresCritical(packageJsonFile: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(packageJsonFile, 'utf8'));
    return pkg?.drift?.logging === 'critical';
  } catch {
    return false;
  }
}

/** The package.json of the package a process was started from (nearest to the entry script or cwd). */
function entryPackageJson(): string | undefined {
  const start = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : process.cwd();
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Critical when listed, or when `packageJsonFile` (default: the running entry's package) names
 * this app and declares it critical.
 */
export function isCriticalApp(name: string, packageJsonFile?: string): boolean {
  if (CRITICAL_APPS.includes(name)) return true;
  const file = packageJsonFile ?? entryPackageJson();
  if (!file) return false;
  try {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    return pkg?.name === name && pkg?.drift?.logging === 'critical';
  } catch {
    return false;
  }
}
