/** Where commands print: injected so that tests can capture output without spawning a process. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the current terminal line (progress); a no-op when not a TTY. */
  status(line: string): void;
  isTTY: boolean;
}

export function processIO(): CommandIO {
  // A closed terminal (SIGHUP) or a reader that went away (`| head`) makes writes fail with EIO or EPIPE.
  // Output is then lost, but the command must go on: a run still has to tear down and mark its results.
  const lost = (): void => undefined;
  process.stdout.on('error', lost);
  process.stderr.on('error', lost);
  const isTTY = Boolean(process.stderr.isTTY);
  let statusShown = false;
  const clear = () => {
    if (statusShown) {
      process.stderr.write('\r\x1b[2K');
      statusShown = false;
    }
  };
  return {
    isTTY,
    out: (l) => {
      clear();
      process.stdout.write(l + '\n');
    },
    err: (l) => {
      clear();
      process.stderr.write(l + '\n');
    },
    status: (l) => {
      if (!isTTY) return;
      const width = process.stderr.columns ?? 120;
      process.stderr.write('\r\x1b[2K' + l.slice(0, width - 1));
      statusShown = true;
    },
  };
}
