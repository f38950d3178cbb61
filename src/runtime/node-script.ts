import { fileURLToPath } from 'node:url';

/**
 * Locates a sibling module to run in a child process or worker thread. From compiled code (dist/*.js) it is
 * the .js file; from sources run by vitest or tsx (*.ts) it is the .ts file, loaded through tsx.
 * `name` is the module's base name without extension, relative to `fromUrl` (pass import.meta.url).
 */
export function nodeScript(name: string, fromUrl: string): { file: string; execArgv: string[] } {
  const fromTs = fromUrl.endsWith('.ts');
  const file = fileURLToPath(new URL(`${name}.${fromTs ? 'ts' : 'js'}`, fromUrl));
  return { file, execArgv: fromTs ? ['--import', 'tsx'] : [] };
}
