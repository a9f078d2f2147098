// Entry of the `jwtdbg` binary (bundled to dist/cli/jwtdbg.mjs): wires the process to runCli.
import { errorLine, EXIT_USAGE, runCli } from './run';

// A reader that goes away (`jwtdbg decode < many | head -1`) is not an error worth a message.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`jwtdbg: cannot write output (${err.code ?? err.message})\n`);
  process.exit(EXIT_USAGE);
});

// Last line of defence: whatever slips past runCli still ends as one line, not a stack trace.
const die = (err: unknown) => {
  process.stderr.write(`${errorLine(err)}\n`);
  process.exit(EXIT_USAGE);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
