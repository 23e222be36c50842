/** Starts the example server (`schema-examples/shop/server.ts`) as a child process on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ExampleServer {
  base: string;
  banner: string;
  graphql(query: string, headers?: Record<string, string>): Promise<{ response: Response; body: Record<string, unknown> }>;
  /** Resolves once every cache write the server has queued has landed (its `GET /idle`). */
  idle(): Promise<void>;
  /** Stops the server: SIGTERM (a clean shutdown) by default, SIGKILL for a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startExampleServer(env: Record<string, string> = {}): Promise<ExampleServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'schema-examples/shop/server.ts'], {
    env: { ...process.env, PORT: '0', EXAMPLE_IDLE_ROUTE: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /GraphQL\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the example server exited with ${code}: ${output}`)));
  });
  return {
    base,
    banner: output.split('\n')[0]!,
    async graphql(query, headers = {}) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      return { response, body: (await response.json()) as Record<string, unknown> };
    },
    async idle() {
      const response = await fetch(`${base}/idle`);
      if (!response.ok) throw new Error(`GET /idle answered ${response.status}`);
      await response.text();
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, 'exit');
    },
  };
}
