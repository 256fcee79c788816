// One measured case in a fresh process: prints {"ms":..., "rssMB":...} as its last stdout line.
import fs from 'node:fs';
import path from 'node:path';

// Each case imports only what it needs, so peak RSS is the case's own.

const [kind, ...args] = process.argv.slice(2);

async function measure(): Promise<number> {
  switch (kind) {
    case 'cli': {
      const { runCli } = await import('../src/run-cli.js');
      let outBytes = 0;
      await runCli(args, {
        out: (s) => {
          outBytes += s.length;
        },
        err: (s) => {
          process.stderr.write(s);
        },
      });
      return outBytes;
    }
    case 'raw-read': {
      // `wc -l`: stream every byte of the log dir and count newlines.
      let lines = 0;
      const buf = Buffer.allocUnsafe(1 << 20);
      for (const name of fs.readdirSync(args[0]!)) {
        const fd = fs.openSync(path.join(args[0]!, name), 'r');
        for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
          for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
        }
        fs.closeSync(fd);
      }
      return lines;
    }
    case 'parse-only': {
      // The compiler's parser alone over the same files (read + createSourceFile).
      const { ts } = await import('ts-morph');
      const { listSourceFiles } = await import('../src/audit/sources.js');
      const { readWorkspace } = await import('../src/workspace.js');
      let nodes = 0;
      for (const pkg of readWorkspace(args[0]!).packages) {
        for (const file of listSourceFiles(pkg)) {
          const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
          nodes += sf.statements.length;
        }
      }
      return nodes;
    }
    case 'ts-morph-project': {
      // ts-morph's own Project loading the same files (no type check).
      const { Project } = await import('ts-morph');
      const { listSourceFiles } = await import('../src/audit/sources.js');
      const { readWorkspace } = await import('../src/workspace.js');
      const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
      for (const pkg of readWorkspace(args[0]!).packages) project.addSourceFilesAtPaths(listSourceFiles(pkg));
      return project.getSourceFiles().length;
    }
    default:
      throw new Error(`unknown case ${kind}`);
  }
}

const start = performance.now();
const result = await measure();
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, result })}\n`);
