/**
 * One writer per file. The first process of an app takes `<app>.log.lock` (its pid inside); a
 * second live process of the same app writes `<app>.<pid>.log` instead, with one warning, so two
 * writers never interleave or race a rotation. A lock left by a dead process (SIGKILL) is taken over.
 */
import fs from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockResult = { owned: true; release: () => void } | { owned: false; holder: number };

export function lockLogFile(file: string): LockResult {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.unlinkSync(lock);
        } catch {
          // gone already
        }
      };
      return { owned: true, release };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return { owned: true, release: () => {} }; // no lock possible: the file sink reports the disk trouble
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder))
        return { owned: false, holder };
      fs.rmSync(lock, { force: true }); // stale: its process is gone
    }
  }
  return { owned: true, release: () => {} };
}
