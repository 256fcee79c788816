// Critical vs utility comes from @drift/logging's registry only (each app's package.json declaration);
// this module just asks it.
import path from 'node:path';
import { isCriticalApp } from '@drift/logging';

/** True when the package.json in `dir` declares the app critical. */
export function isCriticalPackage(name: string, dir: string): boolean {
  return isCriticalApp(name, path.join(dir, 'package.json'));
}
