// Critical vs utility comes from @drift/logging's registry only; this module just asks it.
import path from 'node:path';
import { isCriticalApp } from '@drift/logging';

/** True when the registry lists the app or the package.json in `dir` declares it critical. */
export function isCriticalPackage(name: string, dir: string): boolean {
  return isCriticalApp(name, path.join(dir, 'package.json'));
}
