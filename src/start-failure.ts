/**
 * Ends start-up with one line on stderr and exit code 1: what a setup error shows a first-run terminal (the
 * variable or file to fix, never a stack trace).
 */
export function failStart(message: string): never {
  console.error(message);
  process.exit(1);
}
