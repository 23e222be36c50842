/** Where a command prints: lines to standard output and to standard error (tests capture them). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
