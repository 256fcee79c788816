// Critical vs utility comes from @drift/logging's registry only; this module just asks it.
import { isCriticalApp } from '@drift/logging';
import type { PackageJson } from './workspace.js';

/** True when the registry lists the app or its package.json declares `"drift": { "logging": "critical" }`. */
export function isCriticalPackage(name: string, packageJson: PackageJson): boolean {
  return isCriticalApp(name) || packageJson.drift?.logging === 'critical';
}
