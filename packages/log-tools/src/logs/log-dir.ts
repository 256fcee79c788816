// The log dir a command was pointed at, checked: what is wrong with it, named, instead of an empty
// answer (a file in its place) or "does not exist" for what does (a symlink loop).
import fs from 'node:fs';
import { errorMessage } from '@drift/logging';
import { InputError } from '../input-error.js';

export function checkLogDir(dir: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new InputError(`log dir ${dir} does not exist (pass --log-dir or set LOG_DIR)`);
    if (code === 'ELOOP')
      throw new InputError(`log dir ${dir} is a symlink loop (ELOOP): point it at a directory`);
    throw new InputError(`log dir ${dir} cannot be read (${code ?? errorMessage(err)})`);
  }
  if (!stat.isDirectory())
    throw new InputError(`log dir ${dir} is not a directory (pass --log-dir or set LOG_DIR)`);
  try {
    fs.readdirSync(dir);
  } catch (err) {
    throw new InputError(`log dir ${dir} cannot be listed (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return dir;
}
